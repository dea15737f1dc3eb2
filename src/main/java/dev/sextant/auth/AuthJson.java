package dev.sextant.auth;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonObject;

/** The wire shapes of the auth resource, in one place. */
public final class AuthJson {

  private AuthJson() {}

  /** The public shape of a user: never its password hash. */
  public static JsonObject user(Principal.User user) {
    return new JsonObject()
        .put("id", user.id().toString())
        .put("email", user.email())
        .put("name", user.name())
        .put("created_at", Times.format(user.createdAt()));
  }

  /** An API key as listed: its prefix, never its secret. */
  public static JsonObject apiKey(ApiKey key) {
    return new JsonObject()
        .put("id", key.id().toString())
        .put("name", key.name())
        .put("prefix", key.prefix())
        .put("created_at", Times.format(key.createdAt()));
  }

  /** A key just created: as listed, plus the plaintext {@code key}, shown this once. */
  public static JsonObject createdApiKey(ApiKey.Created created) {
    return apiKey(created.key()).put("key", created.plaintext());
  }
}
