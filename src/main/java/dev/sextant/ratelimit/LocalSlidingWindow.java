package dev.sextant.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The fallback while Redis is unreachable: the same sliding log, kept in this server's memory, so
 * limits still hold per server (never unlimited) and no request fails for want of Redis. Owned by
 * the server's one limiter and used from its event loop only, so nothing is locked.
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

  RateDecision decide(String key, int limit, long nowMs) {
    return decide(logs.get(key, k -> new ArrayDeque<>()), limit, nowMs);
  }

  private RateDecision decide(ArrayDeque<Long> log, int limit, long nowMs) {
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
