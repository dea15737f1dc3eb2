package dev.sextant.auth;

import dev.sextant.http.BearerToken;
import dev.sextant.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Resolves {@code Authorization: Bearer} credentials: {@code sxs_} session tokens to a
 * {@link Principal.User}, {@code sxk_} API keys to a {@link Principal.Project}. Each route states
 * which kind it takes; anything else is a 401 with {@code WWW-Authenticate: Bearer}.
 */
public final class Authenticator {

  private static final String PRINCIPAL = "sextant.principal";
  private static final String TOKEN_HASH = "sextant.token_hash";
  private static final int MAX_TOKEN_LENGTH = 256;

  static final String SESSIONS = "sessions";
  static final String API_KEYS = "api_keys";

  private final UserRepository users;
  private final ApiKeyService apiKeys;
  private final CredentialCache cache;

  public Authenticator(Pool pool, ApiKeyService apiKeys, CredentialCache cache) {
    this.users = new UserRepository(pool);
    this.apiKeys = apiKeys;
    this.cache = cache;
  }

  /** Lets the request through only with a live session token. */
  public Handler<RoutingContext> requireSession() {
    return ctx -> authenticate(ctx, Tokens.SESSION_PREFIX,
        "This endpoint needs a session token (Bearer sxs_…) from /api/v1/auth/login", SESSIONS,
        users::findBySession);
  }

  /** Lets the request through only with a live API key. */
  public Handler<RoutingContext> requireApiKey() {
    return ctx -> authenticate(ctx, Tokens.API_KEY_PREFIX,
        "This endpoint needs a project API key (Bearer sxk_…)", API_KEYS, apiKeys::resolve);
  }

  public static Principal.User user(RoutingContext ctx) {
    return (Principal.User) ctx.get(PRINCIPAL);
  }

  public static Principal.Project project(RoutingContext ctx) {
    return (Principal.Project) ctx.get(PRINCIPAL);
  }

  static byte[] sessionTokenHash(RoutingContext ctx) {
    return ctx.get(TOKEN_HASH);
  }

  /**
   * Ends a session here at once (the other instances of a cluster as soon as the eviction reaches
   * them, and in any case within the near-cache lifetime).
   */
  void forgetSession(byte[] tokenHash) {
    cache.invalidate(SESSIONS, tokenHash);
  }

  private void authenticate(RoutingContext ctx, String prefix, String wrongKind, String kind,
      java.util.function.Function<byte[], Future<? extends Principal>> lookup) {
    String token = BearerToken.of(ctx.request());
    if (token == null) {
      ctx.fail(Problem.unauthorized("Missing bearer token"));
      return;
    }
    if (!token.startsWith(prefix)) {
      ctx.fail(Problem.unauthorized(wrongKind));
      return;
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      ctx.fail(Problem.unauthorized("Invalid, expired or revoked token"));
      return;
    }
    byte[] hash = Tokens.hash(token);
    if (kind.equals(SESSIONS)) {
      ctx.put(TOKEN_HASH, hash);
    }
    Principal cached = cache.get(kind, hash);
    if (cached != null) {
      ctx.put(PRINCIPAL, cached);
      ctx.next();
      return;
    }
    long stamp = cache.stamp();
    lookup.apply(hash).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result() == null) {
        ctx.fail(Problem.unauthorized("Invalid, expired or revoked token"));
      } else {
        cache.put(kind, hash, result.result(), stamp);
        ctx.put(PRINCIPAL, result.result());
        ctx.next();
      }
    });
  }
}
