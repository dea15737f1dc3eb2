package dev.sextant.cache;

import dev.sextant.cluster.ClusterBus;
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
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>An answer the contract lets be stale for a while ({@link Staleness}) and that was slow to
 * compute is the exception: after a write it is still served, until it is too old, while a newer
 * one is computed in the background.
 *
 * <p>If an invalidation cannot reach Redis, or Redis becomes unreachable, answers written to Redis
 * before may be stale: the cache then bypasses Redis until it has bumped the epoch, which retires
 * every earlier entry. Concurrent misses of one key and version on this instance share one
 * database load; a write through another instance of a cluster, told by the {@link ClusterBus},
 * ends that sharing here too.
 */
public final class ResponseCache {

  private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);
  private static final long RETRY_MS = 100;
  private static final byte GZIP = 'g';
  private static final byte PLAIN = 'p';
  /** A stale answer is recomputed once it is this many times as old as its computation took. */
  private static final int REFRESH_FACTOR = 4;
  /** The generation family of answers over a project's traces, which every ingest bumps. */
  private static final String TRACE_DATA = "traces";
  /** The bus topic of writes: other instances stop sharing loads begun before one. */
  private static final String WRITES = "cache.writes";

  /**
   * How stale an answer may be served after a write: one that took at least {@code slowLoadMs} to
   * compute, for up to {@code maxStaleMs} after its computation began. {@link #NONE}: never.
   */
  public record Staleness(long maxStaleMs, long slowLoadMs) {
    public static final Staleness NONE = new Staleness(0, Long.MAX_VALUE);
  }

  /** A computed answer, when its computation began (wall clock) and how long it took. */
  private record Loaded(CachedBody body, long startedMs, long loadMs) {}

  /** A stored entry: the version it was computed under, as {@link Loaded}. */
  private record Entry(long epoch, long generation, Loaded loaded) {}

  private final Vertx vertx;
  private final ResilientRedis redis;
  private final CacheMetrics metrics;
  private final boolean enabled;
  private final int gzipThreshold;
  private final Map<String, Future<Loaded>> inFlight = new ConcurrentHashMap<>();
  /** Set while entries in Redis may be stale: reads bypass Redis until the epoch is bumped. */
  private final AtomicBoolean untrusted = new AtomicBoolean();
  /**
   * Writes through this instance, and through the others of its cluster as the bus tells them:
   * while Redis cannot version loads, a load begun before a write is not shared with a read after
   * it.
   */
  private final AtomicLong localWrites = new AtomicLong();
  private final ClusterBus bus;

  /** Answers of at least {@code gzipThreshold} bytes are kept compressed ({@link CachedBody}). */
  public ResponseCache(Vertx vertx, ResilientRedis redis, CacheMetrics metrics, boolean enabled,
      int gzipThreshold, ClusterBus bus) {
    this.vertx = vertx;
    this.bus = bus;
    bus.subscribe(WRITES, key -> localWrites.incrementAndGet());
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
    return getOrLoad(cache, project, key, ttlSeconds, Staleness.NONE, loader);
  }

  /** As above; after a write the previous answer is served as {@code staleness} allows. */
  public Future<CachedBody> getOrLoad(String cache, UUID project, String key, int ttlSeconds,
      Staleness staleness, Supplier<Future<String>> loader) {
    return getOrLoad(cache, TRACE_DATA, project, key, ttlSeconds, staleness, loader);
  }

  /**
   * As above, with answers versioned by the project's generation of {@code family}, which only
   * {@link #invalidate(String, UUID)} of that family bumps: answers over data written rarely (model
   * configs) are not retired by every write of the project's traces.
   */
  public Future<CachedBody> getOrLoad(String cache, String family, UUID project, String key,
      int ttlSeconds, Supplier<Future<String>> loader) {
    return getOrLoad(cache, family, project, key, ttlSeconds, Staleness.NONE, loader);
  }

  private Future<CachedBody> getOrLoad(String cache, String family, UUID project, String key,
      int ttlSeconds, Staleness staleness, Supplier<Future<String>> loader) {
    Supplier<Future<Loaded>> load = () -> {
      long started = System.currentTimeMillis();
      return loader.get().map(json -> json == null ? null
          : new Loaded(CachedBody.of(json, gzipThreshold), started, System.currentTimeMillis() - started));
    };
    if (!enabled) {
      return load.get().map(ResponseCache::body);
    }
    // "c": entries of this layout (version, start, duration, flag byte, body); other layouts
    // lived under other names
    String valueKey = redis.key("c", cache, project.toString(), key);
    // read before Redis is asked: a write after this point makes a later read load anew
    long writesBefore = localWrites.get();
    if (untrusted.get()) {
      metrics.miss(cache);
      return loadOnce(cache, unversioned(valueKey, writesBefore), load).map(ResponseCache::body);
    }
    String epochKey = redis.key("epoch");
    String genKey = generationKey(family, project);
    return redis.send(Request.cmd(Command.MGET).arg(epochKey).arg(genKey).arg(valueKey))
        .transform(ar -> {
          if (ar.failed()) {
            metrics.miss(cache);
            return loadOnce(cache, unversioned(valueKey, writesBefore), load).map(ResponseCache::body);
          }
          long epoch = number(ar.result().get(0));
          long generation = number(ar.result().get(1));
          Entry stored = parse(ar.result().get(2));
          if (stored != null && stored.epoch() == epoch && stored.generation() == generation) {
            metrics.hit(cache);
            return Future.succeededFuture(stored.loaded().body());
          }
          Supplier<Future<Loaded>> loadAndStore = () -> load.get().andThen(loaded -> {
            if (loaded.succeeded() && loaded.result() != null && !untrusted.get()) {
              store(valueKey, ttlSeconds, epoch, generation, loaded.result());
            }
          });
          if (stored != null && stored.epoch() == epoch) {
            Loaded previous = stored.loaded();
            long age = System.currentTimeMillis() - previous.startedMs();
            if (previous.loadMs() >= staleness.slowLoadMs() && age < staleness.maxStaleMs()) {
              metrics.stale(cache);
              if (age >= REFRESH_FACTOR * previous.loadMs()) {
                // one refresh per key at a time, whatever generation each reader saw: writes
                // keep coming, and a load per generation would pile up slow queries
                start(valueKey + "@refresh", loadAndStore);
              }
              return Future.succeededFuture(previous.body());
            }
          }
          metrics.miss(cache);
          return loadOnce(cache, valueKey + "@" + epoch + ":" + generation, loadAndStore)
              .map(ResponseCache::body);
        });
  }

  /** The flight of a load Redis cannot version: one per key and count of writes through here. */
  private static String unversioned(String valueKey, long writesBefore) {
    return valueKey + "@local:" + writesBefore;
  }

  private static CachedBody body(Loaded loaded) {
    return loaded == null ? null : loaded.body();
  }

  private void store(String valueKey, int ttlSeconds, long epoch, long generation, Loaded loaded) {
    Buffer entry = Buffer.buffer(epoch + ":" + generation + ":" + loaded.startedMs() + ":"
            + loaded.loadMs() + ":")
        .appendByte(loaded.body().gzipped() ? GZIP : PLAIN)
        .appendBuffer(loaded.body().bytes());
    redis.send(Request.cmd(Command.SET).arg(valueKey).arg(entry).arg("EX").arg(ttlSeconds));
  }

  /** A stored entry (four numbers, each followed by ':', a flag byte, the body); else null. */
  private static Entry parse(Response stored) {
    if (stored == null) {
      return null;
    }
    Buffer entry = stored.toBuffer();
    long[] numbers = new long[4];
    int at = 0;
    for (int i = 0; i < numbers.length; i++) {
      int end = at;
      while (end < entry.length() && end - at < 20 && entry.getByte(end) != ':') {
        end++;
      }
      if (end >= entry.length() || entry.getByte(end) != ':' || end == at) {
        return null;
      }
      numbers[i] = Long.parseLong(entry.getString(at, end));
      at = end + 1;
    }
    if (at >= entry.length()) {
      return null;
    }
    CachedBody body = new CachedBody(entry.slice(at + 1, entry.length()), entry.getByte(at) == GZIP);
    return new Entry(numbers[0], numbers[1], new Loaded(body, numbers[2], numbers[3]));
  }

  /**
   * Retires every cached answer over {@code project}'s trace data. Never fails: if Redis cannot be
   * told, the cache stops trusting Redis until it can retire everything.
   */
  public Future<Void> invalidate(UUID project) {
    return invalidate(TRACE_DATA, project);
  }

  /** Retires every cached answer of {@code project} versioned by {@code family}; never fails. */
  public Future<Void> invalidate(String family, UUID project) {
    if (!enabled) {
      return Future.succeededFuture();
    }
    localWrites.incrementAndGet();
    bus.publish(WRITES, family + ":" + project);
    return redis.send(Request.cmd(Command.INCR).arg(generationKey(family, project)))
        .<Void>mapEmpty()
        .recover(e -> {
          distrust();
          return Future.succeededFuture();
        });
  }

  /** The project's generation counter of {@code family} (the trace data's keeps its first name). */
  private String generationKey(String family, UUID project) {
    return family.equals(TRACE_DATA) ? redis.key("gen", project.toString())
        : redis.key("gen", family, project.toString());
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

  /**
   * One load per {@code flight} (key and version) at a time on this instance; every caller
   * continues on its own context.
   */
  private Future<Loaded> loadOnce(String cache, String flight, Supplier<Future<Loaded>> loader) {
    Future<Loaded> running = inFlight.get(flight);
    if (running != null) {
      metrics.coalesced(cache);
    } else {
      running = start(flight, loader);
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Loaded> result = Promise.promise();
    running.onComplete(ar -> caller.runOnContext(v -> result.handle(ar)));
    return result.future();
  }

  /** Runs {@code loader} unless a load of {@code flight} is running already; that load. */
  private Future<Loaded> start(String flight, Supplier<Future<Loaded>> loader) {
    Promise<Loaded> mine = Promise.promise();
    Future<Loaded> running = inFlight.putIfAbsent(flight, mine.future());
    if (running != null) {
      return running;
    }
    Future<Loaded> load;
    try {
      load = loader.get();
    } catch (RuntimeException e) {
      load = Future.failedFuture(e);
    }
    load.onComplete(ar -> {
      inFlight.remove(flight, mine.future());
      mine.handle(ar);
    });
    return mine.future();
  }

  private static long number(Response response) {
    return response == null ? 0 : Long.parseLong(response.toString());
  }
}
