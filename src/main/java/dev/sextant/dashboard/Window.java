package dev.sextant.dashboard;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The windows of {@code GET /api/v1/dashboard}: how long each is, the size of its buckets, and the
 * roll-up rows ({@code source_seconds} wide) its buckets are made of. A window is its last
 * {@code buckets} buckets, aligned to UTC multiples of the bucket size, the last one being the
 * bucket that holds the current time (so it is still filling).
 */
enum Window {
  HOUR("1h", 3_600, 60, 60),
  DAY("24h", 86_400, 3_600, 3_600),
  WEEK("7d", 604_800, 3_600, 3_600),
  MONTH("30d", 2_592_000, 86_400, 3_600);

  /** By the value of the {@code window} query parameter. */
  static final Map<String, Window> BY_PARAM = byParam();

  /** The window when none is asked for. */
  static final Window DEFAULT = DAY;

  private final String param;
  private final long seconds;
  private final int bucketSeconds;
  private final int sourceSeconds;

  Window(String param, long seconds, int bucketSeconds, int sourceSeconds) {
    this.param = param;
    this.seconds = seconds;
    this.bucketSeconds = bucketSeconds;
    this.sourceSeconds = sourceSeconds;
  }

  String param() {
    return param;
  }

  int bucketSeconds() {
    return bucketSeconds;
  }

  /** The width of the roll-up rows read: 60 (minute rows) or 3 600 (hour rows). */
  int sourceSeconds() {
    return sourceSeconds;
  }

  int buckets() {
    return (int) (seconds / bucketSeconds);
  }

  /** The start of the bucket holding {@code now}: the last bucket of the window. */
  Instant lastBucket(Instant now) {
    long epoch = now.getEpochSecond();
    return Instant.ofEpochSecond(epoch - Math.floorMod(epoch, bucketSeconds));
  }

  /** The start of the window's first bucket. */
  Instant start(Instant now) {
    return lastBucket(now).minusSeconds((long) (buckets() - 1) * bucketSeconds);
  }

  /** The end (excluded) of the window: the end of the bucket holding {@code now}. */
  Instant end(Instant now) {
    return lastBucket(now).plusSeconds(bucketSeconds);
  }

  private static Map<String, Window> byParam() {
    Map<String, Window> windows = new LinkedHashMap<>();
    for (Window window : values()) {
      windows.put(window.param, window);
    }
    return Map.copyOf(windows);
  }
}
