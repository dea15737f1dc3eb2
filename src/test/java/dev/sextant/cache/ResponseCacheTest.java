package dev.sextant.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.RedisConfig;
import dev.sextant.embedded.FreePort;
import dev.sextant.support.TestInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The response cache")
class ResponseCacheTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private ResponseCache cache(Vertx vertx, String redisUrl) {
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
    RedisConfig config = new RedisConfig(redisUrl, 4, 500, "rc" + UUID.randomUUID() + ":", 250, 3, 2000);
    return new ResponseCache(vertx, new ResilientRedis(vertx, redis, config),
        new CacheMetrics(registry), true, 1024, new dev.sextant.cluster.ClusterBus(vertx));
  }

  @Test
  @DisplayName("makes one database load for concurrent misses of one key")
  void stampedeProtection(Vertx vertx) {
    ResponseCache cache = cache(vertx, TestInfra.redisUrl());
    UUID project = UUID.randomUUID();
    AtomicInteger loads = new AtomicInteger();
    Promise<String> slowLoad = Promise.promise();
    List<Future<CachedBody>> readers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      readers.add(cache.getOrLoad("t", project, "k", 60, () -> {
        loads.incrementAndGet();
        return slowLoad.future();
      }));
    }
    // the load is held open until every other reader has joined it
    dev.sextant.support.Await.until(java.time.Duration.ofSeconds(5),
        () -> registry.counter("sextant.cache.coalesced", "cache", "t").count() == 19, "19 readers to join");
    slowLoad.complete("answer");
    for (Future<CachedBody> reader : readers) {
      assertThat(reader.await().text()).isEqualTo("answer");
    }
    assertThat(loads.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("serves a cached answer until the project is invalidated, then loads afresh")
  void versionedInvalidation(Vertx vertx) {
    ResponseCache cache = cache(vertx, TestInfra.redisUrl());
    UUID project = UUID.randomUUID();
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.getOrLoad("t", project, "k", 60, () -> {
      loads.incrementAndGet();
      return Future.succeededFuture("v1");
    }).await().text()).isEqualTo("v1");
    // the answer is stored in the background; once it is there, the loader is no longer asked
    dev.sextant.support.Await.until(java.time.Duration.ofSeconds(5), () -> {
      int before = loads.get();
      cache.getOrLoad("t", project, "k", 60, () -> {
        loads.incrementAndGet();
        return Future.succeededFuture("v1");
      }).await();
      return loads.get() == before;
    }, "the answer to be cached");
    cache.invalidate(UUID.randomUUID()).await();
    assertThat(cache.getOrLoad("t", project, "k", 60, () -> Future.succeededFuture("not cached")).await().text())
        .as("another project's write leaves this project's entries alone").isEqualTo("v1");
    cache.invalidate(project).await();
    assertThat(cache.getOrLoad("t", project, "k", 60, () -> Future.succeededFuture("fresh")).await().text())
        .isEqualTo("fresh");
  }

  @Test
  @DisplayName("never gives a read after a write the answer of a load that began before it")
  void loadBeforeWriteNotShared(Vertx vertx) throws Exception {
    assertReadAfterWriteLoadsAnew(cache(vertx, TestInfra.redisUrl()));
  }

  @Test
  @DisplayName("keeps a read after a write out of an older load while Redis is out of reach too")
  void loadBeforeWriteNotSharedWithoutRedis(Vertx vertx) throws Exception {
    assertReadAfterWriteLoadsAnew(cache(vertx, "redis://127.0.0.1:" + FreePort.find()));
  }

  /** A read after a write, while a load begun before it is still out, makes a load of its own. */
  private static void assertReadAfterWriteLoadsAnew(ResponseCache cache) throws Exception {
    UUID project = UUID.randomUUID();
    Promise<String> beforeWrite = Promise.promise();
    java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean();
    Future<CachedBody> early = cache.getOrLoad("t", project, "k", 60, () -> {
      loading.set(true);
      return beforeWrite.future();
    });
    // the early load has read its version and begun before the write
    dev.sextant.support.Await.until(java.time.Duration.ofSeconds(5), loading::get, "the early load to begin");
    cache.invalidate(project).await();
    // joining the early load would wait for it
    assertThat(cache.getOrLoad("t", project, "k", 60, () -> Future.succeededFuture("after"))
        .toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS).text())
        .isEqualTo("after");
    beforeWrite.complete("before");
    assertThat(early.await().text()).isEqualTo("before");
  }

  @Test
  @DisplayName("serves a slow answer after a write while it is young enough, and meanwhile computes a newer one")
  void staleWhileRefreshing(Vertx vertx) {
    ResponseCache cache = cache(vertx, TestInfra.redisUrl());
    UUID project = UUID.randomUUID();
    ResponseCache.Staleness tolerant = new ResponseCache.Staleness(60_000, 0);
    cacheAnswer(cache, project, "k", tolerant, "v1");
    cache.invalidate(project).await();
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.getOrLoad("t", project, "k", 60, tolerant, () -> {
      loads.incrementAndGet();
      return Future.succeededFuture("v2");
    }).await().text()).as("the previous answer, at once").isEqualTo("v1");
    assertThat(registry.counter("sextant.cache.stale", "cache", "t").count()).isEqualTo(1);
    // the newer answer was loaded in the background and replaces it
    dev.sextant.support.Await.until(java.time.Duration.ofSeconds(5),
        () -> cache.getOrLoad("t", project, "k", 60, tolerant, () -> Future.succeededFuture("v3"))
            .await().text().equals("v2"), "the newer answer");
    assertThat(loads.get()).isEqualTo(1);

    // too old to be served, or quick to compute: loaded again in line
    cache.invalidate(project).await();
    assertThat(cache.getOrLoad("t", project, "k", 60, new ResponseCache.Staleness(0, 0),
        () -> Future.succeededFuture("v4")).await().text()).isEqualTo("v4");
    cacheAnswer(cache, project, "k2", tolerant, "v5");
    cache.invalidate(project).await();
    assertThat(cache.getOrLoad("t", project, "k2", 60, new ResponseCache.Staleness(60_000, 10_000),
        () -> Future.succeededFuture("v6")).await().text()).isEqualTo("v6");
  }

  @Test
  @DisplayName("refreshes a stale answer with one load at a time, however many writes and reads come meanwhile")
  void oneRefreshAtATime(Vertx vertx) {
    ResponseCache cache = cache(vertx, TestInfra.redisUrl());
    UUID project = UUID.randomUUID();
    ResponseCache.Staleness tolerant = new ResponseCache.Staleness(60_000, 0);
    cacheAnswer(cache, project, "k", tolerant, "v1");
    AtomicInteger loads = new AtomicInteger();
    Promise<String> refresh = Promise.promise();
    for (int i = 0; i < 10; i++) {
      cache.invalidate(project).await();
      assertThat(cache.getOrLoad("t", project, "k", 60, tolerant, () -> {
        loads.incrementAndGet();
        return refresh.future();
      }).await().text()).isEqualTo("v1");
    }
    assertThat(loads.get()).isEqualTo(1);
    refresh.complete("v2");
  }

  /** Loads {@code answer} for {@code key} and waits until it is cached. */
  private static void cacheAnswer(ResponseCache cache, UUID project, String key,
      ResponseCache.Staleness staleness, String answer) {
    cache.getOrLoad("t", project, key, 60, staleness, () -> Future.succeededFuture(answer)).await();
    dev.sextant.support.Await.until(java.time.Duration.ofSeconds(5),
        () -> cache.getOrLoad("t", project, key, 60, staleness, () -> Future.succeededFuture("loaded"))
            .await().text().equals(answer), "the answer to be cached");
  }

  @Test
  @DisplayName("keeps answers over the threshold gzip-compressed, and gives back the same text")
  void compressesLargeAnswers(Vertx vertx) {
    ResponseCache cache = cache(vertx, TestInfra.redisUrl());
    UUID project = UUID.randomUUID();
    String large = "{\"spans\":\"" + "span ".repeat(2000) + "\"}";
    CachedBody loaded = cache.getOrLoad("t", project, "big", 60, () -> Future.succeededFuture(large)).await();
    assertThat(loaded.gzipped()).isTrue();
    assertThat(loaded.bytes().length()).isLessThan(large.length() / 10);
    dev.sextant.support.Await.until(java.time.Duration.ofSeconds(5), () -> {
      CachedBody hit = cache.getOrLoad("t", project, "big", 60,
          () -> Future.succeededFuture("loaded again")).await();
      return hit.gzipped() && hit.text().equals(large);
    }, "the compressed answer to come back from Redis");
    CachedBody small = cache.getOrLoad("t", project, "small", 60, () -> Future.succeededFuture("{}")).await();
    assertThat(small.gzipped()).isFalse();
    assertThat(small.text()).isEqualTo("{}");
  }

  @Test
  @DisplayName("falls back to the loader at once when Redis cannot be reached, and never fails an invalidation")
  void redisUnreachable(Vertx vertx) {
    ResponseCache cache = cache(vertx, "redis://127.0.0.1:" + FreePort.find());
    UUID project = UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      assertThat(cache.getOrLoad("t", project, "k", 60, () -> Future.succeededFuture("db")).await().text()).isEqualTo("db");
    }
    cache.invalidate(project).await(); // completes although Redis is not there
    assertThat(cache.isBypassing()).isTrue();
  }
}
