package dev.sextant.auth;

import dev.sextant.common.Ids;
import dev.sextant.common.Timestamps;
import dev.sextant.config.SextantConfig.AuthConfig;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.JsonBodies;
import dev.sextant.http.Problem;
import dev.sextant.http.Responses;
import dev.sextant.http.Validator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/** Signup, login and logout of people (API.md section 3). */
public final class AuthRoutes {

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final int MIN_PASSWORD = 10;
  /** Bounds the hashing work a single request can ask for. */
  private static final int MAX_PASSWORD = 1024;
  private static final int MAX_EMAIL = 320;
  private static final String BAD_LOGIN = "Invalid email or password";

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final AuthConfig config;

  private AuthRoutes(Vertx vertx, Authenticator authenticator, UserRepository users,
      PasswordHasher hasher, AuthConfig config) {
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.users = users;
    this.hasher = hasher;
    this.config = config;
  }

  /** Mounts the routes and returns the authenticator the other resources guard theirs with. */
  public static Authenticator mount(Router router, Vertx vertx, io.vertx.sqlclient.Pool pool,
      AuthConfig config, ApiKeyService apiKeys, CredentialCache credentials) {
    UserRepository users = new UserRepository(pool);
    Authenticator authenticator = new Authenticator(users, apiKeys, credentials);
    AuthRoutes routes =
        new AuthRoutes(vertx, authenticator, users, new PasswordHasher(config), config);
    router.post("/api/v1/auth/signup").handler(AsyncHandler.of(routes::signup));
    router.post("/api/v1/auth/login").handler(AsyncHandler.of(routes::login));
    router.post("/api/v1/auth/logout")
        .handler(authenticator.requireSession())
        .handler(AsyncHandler.of(routes::logout));
    return authenticator;
  }

  private Future<?> signup(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Validator v = new Validator(body);
    String email = v.requiredString("email", MAX_EMAIL);
    String password = v.requiredString("password", MAX_PASSWORD);
    String name = v.requiredString("name", Validator.MAX_NAME);
    v.check(email == null || EMAIL.matcher(email).matches(), "email", "must be an email address");
    v.check(password == null || password.length() >= MIN_PASSWORD, "password",
        "must be at least " + MIN_PASSWORD + " characters");
    v.validate();
    return hasher.hash(vertx, password)
        .compose(hash -> users.insert(Ids.newUuid(), email.trim(), name.trim(), hash))
        .compose(user -> Responses.json(ctx, 201, userJson(user)));
  }

  private Future<?> login(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Validator v = new Validator(body);
    String email = v.requiredString("email", MAX_EMAIL);
    String password = v.requiredString("password", MAX_PASSWORD);
    v.validate();
    return users.findByEmail(email.trim())
        .compose(stored -> passwordMatches(password, stored)
            .compose(ok -> ok
                ? startSession(ctx, stored.user())
                : Future.failedFuture(Problem.unauthorized(BAD_LOGIN))));
  }

  /** An unknown email costs one hash too, so timing does not tell it from a wrong password. */
  private Future<Boolean> passwordMatches(String password, UserRepository.StoredUser stored) {
    return stored == null
        ? hasher.hash(vertx, password).map(ignored -> false)
        : hasher.verify(vertx, password, stored.passwordHash());
  }

  private Future<?> startSession(RoutingContext ctx, Principal.User user) {
    String token = Tokens.newSessionToken();
    OffsetDateTime expiresAt =
        OffsetDateTime.now(ZoneOffset.UTC).plusHours(config.sessionTtlHours());
    return users.insertSession(Tokens.hash(token), user.id(), expiresAt)
        .compose(v -> Responses.json(ctx, 200, new JsonObject()
            .put("token", token)
            .put("expires_at", Timestamps.format(expiresAt))));
  }

  private Future<?> logout(RoutingContext ctx) {
    byte[] tokenHash = Authenticator.sessionTokenHash(ctx);
    return users.deleteSession(tokenHash)
        .andThen(v -> authenticator.forgetSession(tokenHash))
        .compose(v -> Responses.noContent(ctx));
  }

  /** The public shape of a user. */
  public static JsonObject userJson(Principal.User user) {
    return new JsonObject()
        .put("id", user.id().toString())
        .put("email", user.email())
        .put("name", user.name())
        .put("created_at", Timestamps.format(user.createdAt()));
  }
}
