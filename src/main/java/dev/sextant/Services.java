package dev.sextant;

import dev.sextant.config.SextantConfig;
import dev.sextant.ops.Lifecycle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

/** What every HTTP verticle shares: created once per process, handed in through constructors. */
public record Services(
    SextantConfig config,
    Pool pool,
    Redis redis,
    PrometheusMeterRegistry registry,
    Lifecycle lifecycle) {}
