package dev.sextant.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The fallback while Redis is unreachable: the same sliding log, kept in this instance's memory, so
 * limits still hold per instance (never unlimited) and no request fails for want of Redis.
 */
final class LocalSlidingWindow {

  private final long windowMs;
  private final Cache<String, ArrayDeque<Long>> logs;

  LocalSlidingWindow(long windowMs) {
    this.windowMs = windowMs;
    this.logs = Caffeine.newBuilder()
        .expireAfterAccess(Duration.ofMillis(windowMs))
        .maximumSize(1_000_000)
        .build();
  }

  /** Only ever called from the limiter's own event loop, so the logs need no locking. */
  RateDecision decide(String key, int limit, long nowMs) {
    ArrayDeque<Long> log = logs.get(key, k -> new ArrayDeque<>());
    while (!log.isEmpty() && log.peekFirst() <= nowMs - windowMs) {
      log.pollFirst();
    }
    boolean allowed = log.size() < limit;
    if (allowed) {
      log.addLast(nowMs);
    }
    long reset = log.isEmpty() ? windowMs : log.peekFirst() + windowMs - nowMs;
    return new RateDecision(allowed, limit, Math.max(0, limit - log.size()), reset, "local");
  }
}
