package dev.sextant.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code sextant_cache_hits_total{cache}} and {@code sextant_cache_misses_total{cache}}. */
public final class CacheMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> hits = new ConcurrentHashMap<>();
  private final Map<String, Counter> misses = new ConcurrentHashMap<>();

  public CacheMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void hit(String cache) {
    hits.computeIfAbsent(cache, c -> counter("sextant.cache.hits", c)).increment();
  }

  public void miss(String cache) {
    misses.computeIfAbsent(cache, c -> counter("sextant.cache.misses", c)).increment();
  }

  /** An answer older than the last write, served as the contract allows while a newer one loads. */
  public void stale(String cache) {
    registry.counter("sextant.cache.stale", "cache", cache).increment();
  }

  /** A miss that joined a load already running for the same key instead of starting its own. */
  public void coalesced(String cache) {
    registry.counter("sextant.cache.coalesced", "cache", cache).increment();
  }

  /** Hit ratio per cache since start, for the admin performance report. */
  public Map<String, Double> hitRatios() {
    Map<String, Double> ratios = new java.util.TreeMap<>();
    for (String cache : hits.keySet()) {
      double h = hits.get(cache).count();
      double m = misses.containsKey(cache) ? misses.get(cache).count() : 0;
      ratios.put(cache, h + m == 0 ? 0 : h / (h + m));
    }
    for (String cache : misses.keySet()) {
      ratios.putIfAbsent(cache, 0.0);
    }
    return ratios;
  }

  private Counter counter(String name, String cache) {
    return Counter.builder(name).tag("cache", cache).register(registry);
  }
}
