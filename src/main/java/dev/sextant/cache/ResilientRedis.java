package dev.sextant.cache;

import dev.sextant.config.SextantConfig.RedisConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis behind the one circuit breaker of this process. While Redis is down or slow the breaker
 * opens and calls fail at once, so no request ever waits on a Redis timeout; callers fall back
 * (to PostgreSQL, or to a local rate limit). Every key is namespaced by the configured prefix.
 */
public final class ResilientRedis {

  private static final Logger log = LoggerFactory.getLogger(ResilientRedis.class);

  private final Redis redis;
  private final CircuitBreaker breaker;
  private final String prefix;
  private final List<Runnable> outageListeners = new CopyOnWriteArrayList<>();

  public ResilientRedis(Vertx vertx, Redis redis, RedisConfig config) {
    this.redis = redis;
    this.prefix = config.keyPrefix();
    this.breaker = CircuitBreaker.create("redis", vertx, new CircuitBreakerOptions()
            .setMaxFailures(config.breakerMaxFailures())
            .setTimeout(config.commandTimeoutMs())
            .setResetTimeout(config.breakerResetMs())
            .setFallbackOnFailure(false))
        .openHandler(v -> {
          log.warn("redis circuit breaker open: Redis calls bypassed for {} ms", config.breakerResetMs());
          outageListeners.forEach(Runnable::run);
        })
        .halfOpenHandler(v -> log.info("redis circuit breaker half-open: trying Redis again"))
        .closeHandler(v -> log.info("redis circuit breaker closed: Redis calls resume"));
  }

  /** Sends a command through the breaker; fails at once while it is open. */
  public Future<Response> send(Request request) {
    return breaker.execute(() -> redis.send(request));
  }

  /** The key {@code prefix + parts joined by ':'}. */
  public String key(String... parts) {
    return prefix + String.join(":", parts);
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** Runs {@code listener} whenever the breaker opens (Redis became unreachable). */
  public void onOutage(Runnable listener) {
    outageListeners.add(listener);
  }
}
