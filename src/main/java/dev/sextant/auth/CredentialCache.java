package dev.sextant.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sextant.cache.CacheMetrics;
import java.time.Duration;
import java.util.HexFormat;

/**
 * An in-process near-cache of resolved credentials (API keys and sessions), shared by every
 * verticle of the instance. Entries live only {@code ttl} (500 ms by default): a key revoked or a
 * session ended on another instance stops working within that time, and on this instance at once.
 */
public final class CredentialCache {

  private static final HexFormat HEX = HexFormat.of();

  private final Cache<String, Principal> entries;
  private final CacheMetrics metrics;

  public CredentialCache(Duration ttl, long maxEntries, CacheMetrics metrics) {
    this.entries = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).build();
    this.metrics = metrics;
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

  void put(String cache, byte[] tokenHash, Principal principal) {
    entries.put(cache + HEX.formatHex(tokenHash), principal);
  }

  void invalidate(String cache, byte[] tokenHash) {
    entries.invalidate(cache + HEX.formatHex(tokenHash));
  }

  /** Forgets every credential (admin cache flush). */
  public void clear() {
    entries.invalidateAll();
  }
}
