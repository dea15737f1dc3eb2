package dev.sextant.auth;

import dev.sextant.common.Ids;
import dev.sextant.common.Times;
import dev.sextant.config.SextantConfig.AuthConfig;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.JsonBodies;
import dev.sextant.http.Problem;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import dev.sextant.validation.Validator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/** Signup, login and logout of people (API.md section 3). */
public final class AuthRoutes implements Routes {

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

  public AuthRoutes(Vertx vertx, Pool pool, Authenticator authenticator, AuthConfig config) {
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.users = new UserRepository(pool);
    this.hasher = new PasswordHasher(config);
    this.config = config;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/auth/signup").handler(AsyncHandler.of(this::signup));
    router.post("/api/v1/auth/login").handler(AsyncHandler.of(this::login));
    router.post("/api/v1/auth/logout")
        .handler(authenticator.requireSession())
        .handler(AsyncHandler.of(this::logout));
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
        .compose(user -> Responses.json(ctx, 201, AuthJson.user(user)));
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
            .put("expires_at", Times.format(expiresAt))));
  }

  private Future<?> logout(RoutingContext ctx) {
    byte[] tokenHash = Authenticator.sessionTokenHash(ctx);
    return users.deleteSession(tokenHash)
        .andThen(v -> authenticator.forgetSession(tokenHash))
        .compose(v -> Responses.noContent(ctx));
  }
}
