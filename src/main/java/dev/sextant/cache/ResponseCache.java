package dev.sextant.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

  private final Vertx vertx;
  private final ResilientRedis redis;
  private final CacheMetrics metrics;
  private final boolean enabled;
  private final Map<String, Future<String>> inFlight = new ConcurrentHashMap<>();
  /** Set while entries in Redis may be stale: reads bypass Redis until the epoch is bumped. */
  private final AtomicBoolean untrusted = new AtomicBoolean();

  public ResponseCache(Vertx vertx, ResilientRedis redis, CacheMetrics metrics, boolean enabled) {
    this.vertx = vertx;
    this.redis = redis;
    this.metrics = metrics;
    this.enabled = enabled;
    redis.onOutage(this::distrust);
  }

  /**
   * The cached answer for {@code key} of {@code project}, or else {@code loader}'s (cached for
   * {@code ttlSeconds} unless null, which means "no such thing" and is not cached).
   */
  public Future<String> getOrLoad(String cache, UUID project, String key, int ttlSeconds,
      Supplier<Future<String>> loader) {
    if (!enabled) {
      return loader.get();
    }
    String valueKey = redis.key("c", cache, project.toString(), key);
    if (untrusted.get()) {
      metrics.miss(cache);
      return loadOnce(cache, valueKey, loader);
    }
    String epochKey = redis.key("epoch");
    String genKey = redis.key("gen", project.toString());
    return redis.send(Request.cmd(Command.MGET).arg(epochKey).arg(genKey).arg(valueKey))
        .transform(ar -> {
          if (ar.failed()) {
            metrics.miss(cache);
            return loadOnce(cache, valueKey, loader);
          }
          String version = number(ar.result().get(0)) + ":" + number(ar.result().get(1)) + ":";
          Response cached = ar.result().get(2);
          if (cached != null && cached.toString().startsWith(version)) {
            metrics.hit(cache);
            return Future.succeededFuture(cached.toString().substring(version.length()));
          }
          metrics.miss(cache);
          return loadOnce(cache, valueKey, loader).andThen(loaded -> {
            if (loaded.succeeded() && loaded.result() != null && !untrusted.get()) {
              redis.send(Request.cmd(Command.SET).arg(valueKey).arg(version + loaded.result())
                  .arg("EX").arg(ttlSeconds));
            }
          });
        });
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
  private Future<String> loadOnce(String cache, String key, Supplier<Future<String>> loader) {
    Promise<String> mine = Promise.promise();
    Future<String> running = inFlight.putIfAbsent(key, mine.future());
    if (running != null) {
      metrics.coalesced(cache);
    } else {
      running = mine.future();
      Future<String> load;
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
    Promise<String> result = Promise.promise();
    running.onComplete(ar -> caller.runOnContext(v -> result.handle(ar)));
    return result.future();
  }

  private static long number(Response response) {
    return response == null ? 0 : Long.parseLong(response.toString());
  }
}
