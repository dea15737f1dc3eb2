package dev.sextant.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sextant.cache.CacheMetrics;
import dev.sextant.cluster.ClusterBus;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process near-cache of resolved credentials (API keys and sessions), shared by every
 * verticle of the instance. A key revoked or a session ended is evicted here at once and on the
 * other instances of a cluster as soon as the {@link ClusterBus} reaches them; entries live only
 * {@code ttl} (500 ms by default), which bounds how long an instance the eviction missed (not
 * clustered, or cut off from the cluster) can still accept the credential.
 */
public final class CredentialCache {

  private static final HexFormat HEX = HexFormat.of();
  private static final String EVICT = "credentials";
  private static final String CLEAR = "credentials.clear";

  private final Cache<String, Principal> entries;
  private final CacheMetrics metrics;
  private final ClusterBus bus;
  /** Evictions so far, here or from the bus: a lookup that raced one is not cached. */
  private final AtomicLong evictions = new AtomicLong();

  public CredentialCache(Duration ttl, long maxEntries, CacheMetrics metrics, ClusterBus bus) {
    this.entries = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).build();
    this.metrics = metrics;
    this.bus = bus;
    bus.subscribe(EVICT, this::evict);
    bus.subscribe(CLEAR, key -> evictAll());
  }

  Principal get(String cache, byte[] tokenHash) {
    Principal principal = entries.getIfPresent(cache + HEX.formatHex(tokenHash));
    if (principal == null) {
      metrics.miss(cache);
    } else {
      metrics.hit(cache);
    }
    return principal;
  }

  /** A stamp to take before looking a credential up in the database, for {@link #put}. */
  long stamp() {
    return evictions.get();
  }

  /**
   * Keeps {@code principal}, looked up after {@code stamp} was taken, unless an eviction came in
   * meanwhile: the lookup may have read the credential before its revocation was committed.
   */
  void put(String cache, byte[] tokenHash, Principal principal, long stamp) {
    String key = cache + HEX.formatHex(tokenHash);
    entries.put(key, principal);
    if (evictions.get() != stamp) {
      entries.invalidate(key);
    }
  }

  /** Forgets a revoked or ended credential here and on every other instance. */
  void invalidate(String cache, byte[] tokenHash) {
    String key = cache + HEX.formatHex(tokenHash);
    evict(key);
    bus.publish(EVICT, key);
  }

  /** Forgets every credential, here and on every other instance (admin cache flush). */
  public void clear() {
    evictAll();
    bus.publish(CLEAR, "");
  }

  private void evict(String key) {
    evictions.incrementAndGet();
    entries.invalidate(key);
  }

  private void evictAll() {
    evictions.incrementAndGet();
    entries.invalidateAll();
  }
}
