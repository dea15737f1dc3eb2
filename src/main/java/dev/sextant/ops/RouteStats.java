package dev.sextant.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Latency per route template since start (HdrHistogram, microsecond resolution) and the last 100
 * requests slower than the configured threshold, for {@code GET /api/v1/admin/performance}.
 */
public final class RouteStats {

  private static final int SLOW_KEPT = 100;

  private record Route(ConcurrentHistogram latency, LongAdder errors) {}

  private final long slowNanos;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<JsonObject> slow = new ConcurrentLinkedDeque<>();

  public RouteStats(long slowRequestMs) {
    this.slowNanos = TimeUnit.MILLISECONDS.toNanos(slowRequestMs);
  }

  public void record(String route, int status, long nanos, String requestId, String path) {
    Route r = routes.computeIfAbsent(route, k -> new Route(new ConcurrentHistogram(3_600_000_000L, 3), new LongAdder()));
    r.latency().recordValue(Math.min(Math.max(1, nanos / 1000), 3_600_000_000L));
    if (status >= 500) {
      r.errors().increment();
    }
    if (nanos >= slowNanos) {
      slow.addLast(new JsonObject()
          .put("at", Instant.now().toString())
          .put("route", route)
          .put("path", path)
          .put("status", status)
          .put("duration_ms", nanos / 1_000_000.0)
          .put("request_id", requestId));
      while (slow.size() > SLOW_KEPT) {
        slow.pollFirst();
      }
    }
  }

  public JsonObject routesJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(routes).forEach((name, r) -> json.put(name, new JsonObject()
        .put("count", r.latency().getTotalCount())
        .put("p50_ms", r.latency().getValueAtPercentile(50) / 1000.0)
        .put("p95_ms", r.latency().getValueAtPercentile(95) / 1000.0)
        .put("p99_ms", r.latency().getValueAtPercentile(99) / 1000.0)
        .put("errors", r.errors().sum())));
    return json;
  }

  public JsonArray slowJson() {
    return new JsonArray(new java.util.ArrayList<>(slow));
  }
}
