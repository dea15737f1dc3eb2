package dev.sextant.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.Command;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache-aside in Redis for read answers, invalidated on write by versioned keys rather than by
 * deleting keys: every project has a generation counter, bumped by each write to the project, and
 * a global epoch, bumped by a flush. A cached answer is stored with the epoch and generation read
 * <em>before</em> its database read and is served only while both are still current, so a write
 * racing a load can never leave a stale answer behind, on any instance.
 *
 * <p>If an invalidation cannot reach Redis, or Redis becomes unreachable, answers written to Redis
 * before may be stale: the cache then bypasses Redis until it has bumped the epoch, which retires
 * every earlier entry. Concurrent misses of one key on this instance share one database load.
 */
public final class ResponseCache {

  private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);
  private static final long RETRY_MS = 100;
  private static final byte GZIP = 'g';
  private static final byte PLAIN = 'p';

  private final Vertx vertx;
  private final ResilientRedis redis;
  private final CacheMetrics metrics;
  private final boolean enabled;
  private final int gzipThreshold;
  private final Map<String, Future<CachedBody>> inFlight = new ConcurrentHashMap<>();
  /** Set while entries in Redis may be stale: reads bypass Redis until the epoch is bumped. */
  private final AtomicBoolean untrusted = new AtomicBoolean();

  /** Answers of at least {@code gzipThreshold} bytes are kept compressed ({@link CachedBody}). */
  public ResponseCache(Vertx vertx, ResilientRedis redis, CacheMetrics metrics, boolean enabled,
      int gzipThreshold) {
    this.vertx = vertx;
    this.redis = redis;
    this.metrics = metrics;
    this.enabled = enabled;
    this.gzipThreshold = gzipThreshold;
    redis.onOutage(this::distrust);
  }

  /**
   * The cached answer for {@code key} of {@code project}, or else {@code loader}'s JSON text
   * (cached for {@code ttlSeconds} unless null, which means "no such thing" and is not cached).
   */
  public Future<CachedBody> getOrLoad(String cache, UUID project, String key, int ttlSeconds,
      Supplier<Future<String>> loader) {
    Supplier<Future<CachedBody>> encodingLoader =
        () -> loader.get().map(json -> json == null ? null : CachedBody.of(json, gzipThreshold));
    if (!enabled) {
      return encodingLoader.get();
    }
    // "b": entries of this layout (version, flag byte, body); other layouts lived under other names
    String valueKey = redis.key("b", cache, project.toString(), key);
    if (untrusted.get()) {
      metrics.miss(cache);
      return loadOnce(cache, valueKey, encodingLoader);
    }
    String epochKey = redis.key("epoch");
    String genKey = redis.key("gen", project.toString());
    return redis.send(Request.cmd(Command.MGET).arg(epochKey).arg(genKey).arg(valueKey))
        .transform(ar -> {
          if (ar.failed()) {
            metrics.miss(cache);
            return loadOnce(cache, valueKey, encodingLoader);
          }
          Buffer version = Buffer.buffer(
              number(ar.result().get(0)) + ":" + number(ar.result().get(1)) + ":");
          CachedBody cached = current(ar.result().get(2), version);
          if (cached != null) {
            metrics.hit(cache);
            return Future.succeededFuture(cached);
          }
          metrics.miss(cache);
          return loadOnce(cache, valueKey, encodingLoader).andThen(loaded -> {
            if (loaded.succeeded() && loaded.result() != null && !untrusted.get()) {
              CachedBody body = loaded.result();
              Buffer entry = version.copy().appendByte(body.gzipped() ? GZIP : PLAIN)
                  .appendBuffer(body.bytes());
              redis.send(Request.cmd(Command.SET).arg(valueKey).arg(entry).arg("EX").arg(ttlSeconds));
            }
          });
        });
  }

  /**
   * The body of a stored entry {@code version}, flag byte, body bytes, if it was stored under the
   * current {@code version}; else null.
   */
  private static CachedBody current(Response stored, Buffer version) {
    if (stored == null) {
      return null;
    }
    Buffer entry = stored.toBuffer();
    int n = version.length();
    if (entry.length() <= n || !entry.slice(0, n).equals(version)) {
      return null;
    }
    return new CachedBody(entry.slice(n + 1, entry.length()), entry.getByte(n) == GZIP);
  }

  /**
   * Retires every cached answer of {@code project}. Never fails: if Redis cannot be told, the
   * cache stops trusting Redis until it can retire everything.
   */
  public Future<Void> invalidate(UUID project) {
    if (!enabled) {
      return Future.succeededFuture();
    }
    return redis.send(Request.cmd(Command.INCR).arg(redis.key("gen", project.toString())))
        .<Void>mapEmpty()
        .recover(e -> {
          distrust();
          return Future.succeededFuture();
        });
  }

  /** Retires every cached answer of every project. */
  public Future<Void> flush() {
    return redis.send(Request.cmd(Command.INCR).arg(redis.key("epoch"))).mapEmpty();
  }

  /** Whether reads currently go to PostgreSQL only. */
  public boolean isBypassing() {
    return !enabled || untrusted.get();
  }

  /**
   * Stops trusting Redis and, every {@value #RETRY_MS} ms until it succeeds, tries to bump the
   * epoch (while the breaker is open the attempt fails at once; once it half-opens, the attempt is
   * its trial call). Other instances may read an entry this instance failed to retire only until
   * then.
   */
  private void distrust() {
    if (!untrusted.compareAndSet(false, true)) {
      return;
    }
    log.warn("cache bypassed: Redis entries may be stale until the cache epoch is bumped");
    AtomicBoolean trying = new AtomicBoolean();
    vertx.setPeriodic(RETRY_MS, timer -> {
      if (!trying.compareAndSet(false, true)) {
        return;
      }
      flush().onComplete(ar -> {
        trying.set(false);
        if (ar.succeeded() && vertx.cancelTimer(timer)) {
          untrusted.set(false);
          log.info("cache epoch bumped after a Redis outage: caching resumes");
        }
      });
    });
  }

  /** One load per key at a time on this instance; every caller continues on its own context. */
  private Future<CachedBody> loadOnce(String cache, String key,
      Supplier<Future<CachedBody>> loader) {
    Promise<CachedBody> mine = Promise.promise();
    Future<CachedBody> running = inFlight.putIfAbsent(key, mine.future());
    if (running != null) {
      metrics.coalesced(cache);
    } else {
      running = mine.future();
      Future<CachedBody> load;
      try {
        load = loader.get();
      } catch (RuntimeException e) {
        load = Future.failedFuture(e);
      }
      load.onComplete(ar -> {
        inFlight.remove(key, mine.future());
        mine.handle(ar);
      });
    }
    Context caller = vertx.getOrCreateContext();
    Promise<CachedBody> result = Promise.promise();
    running.onComplete(ar -> caller.runOnContext(v -> result.handle(ar)));
    return result.future();
  }

  private static long number(Response response) {
    return response == null ? 0 : Long.parseLong(response.toString());
  }
}
