package dev.sextant.ratelimit;

import io.vertx.core.json.JsonObject;

/**
 * One rate-limit decision: whether the request may pass, the limit of its group, what is left in
 * the window, and milliseconds until the oldest counted request leaves it (a slot frees).
 */
public record RateDecision(boolean allowed, int limit, int remaining, long resetMs, String backend) {

  JsonObject toJson() {
    return new JsonObject().put("allowed", allowed).put("limit", limit).put("remaining", remaining)
        .put("reset_ms", resetMs).put("backend", backend);
  }

  static RateDecision fromJson(JsonObject json) {
    return new RateDecision(json.getBoolean("allowed"), json.getInteger("limit"),
        json.getInteger("remaining"), json.getLong("reset_ms"), json.getString("backend"));
  }

  /** Whole seconds until a slot frees, at least 1 (for {@code Retry-After} and the reset header). */
  public long resetSeconds() {
    return Math.max(1, (resetMs + 999) / 1000);
  }
}
