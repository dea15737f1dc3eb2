package dev.sextant.ratelimit;


/**
 * One rate-limit decision: whether the request may pass, the limit of its group, what is left in
 * the window, and milliseconds until the oldest counted request leaves it (a slot frees).
 */
public record RateDecision(boolean allowed, int limit, int remaining, long resetMs, String backend) {

  /** Whole seconds until a slot frees, at least 1 (for {@code Retry-After} and the reset header). */
  public long resetSeconds() {
    return Math.max(1, (resetMs + 999) / 1000);
  }
}
