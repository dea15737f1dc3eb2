package dev.sextant.server;

import dev.sextant.cache.CacheMetrics;
import dev.sextant.cache.ResilientRedis;
import dev.sextant.cache.ResponseCache;
import dev.sextant.cluster.ClusterBus;
import dev.sextant.cluster.ClusterMembership;
import dev.sextant.config.SextantConfig;
import dev.sextant.ops.Lifecycle;
import dev.sextant.ops.RouteStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

/**
 * The infrastructure one process shares: pools, Redis behind its breaker, the metrics registry,
 * the response cache, the process's lifecycle and its place in a cluster. Built once, handed to {@link Resources} and the
 * verticles through constructors. No resource lives here.
 */
public record Services(
    SextantConfig config,
    Pool pool,
    Redis redis,
    ResilientRedis resilientRedis,
    PrometheusMeterRegistry registry,
    Lifecycle lifecycle,
    CacheMetrics cacheMetrics,
    ResponseCache cache,
    RouteStats routeStats,
    ClusterMembership membership,
    ClusterBus clusterBus) {

  static Services create(Vertx vertx, SextantConfig config, Pool pool, Redis redis,
      PrometheusMeterRegistry registry, ClusterMembership membership) {
    ResilientRedis resilient = new ResilientRedis(vertx, redis, config.redis());
    Gauge.builder("sextant.circuit.breaker.state", resilient,
            r -> switch (r.state()) {
              case CLOSED -> 0;
              case HALF_OPEN -> 1;
              case OPEN -> 2;
            })
        .tag("name", "redis").description("0 closed, 1 half-open, 2 open").register(registry);
    Lifecycle lifecycle = new Lifecycle();
    Gauge.builder("sextant.ready", lifecycle, l -> l.isReady() ? 1 : 0)
        .description("1 while /health/ready answers 200 (as of its last probe; draining at once)")
        .register(registry);
    Gauge.builder("sextant.cluster.members", membership, ClusterMembership::members)
        .description("Members this instance sees in its cluster, itself included (1 standalone, 0 out of it)")
        .register(registry);
    CacheMetrics cacheMetrics = new CacheMetrics(registry);
    ClusterBus bus = new ClusterBus(vertx);
    return new Services(config, pool, redis, resilient, registry, lifecycle, cacheMetrics,
        new ResponseCache(vertx, resilient, cacheMetrics, config.cache().enabled(),
            config.http().compressionThresholdBytes(), bus),
        new RouteStats(config.slowRequestMs()), membership, bus);
  }
}
