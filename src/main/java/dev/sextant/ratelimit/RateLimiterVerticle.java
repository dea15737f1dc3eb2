package dev.sextant.ratelimit;

import dev.sextant.cache.ResilientRedis;
import dev.sextant.common.ClasspathText;
import dev.sextant.config.SextantConfig.RateLimitConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limiter, offered to the HTTP verticles as a service on the event bus: request a
 * {@link RateQuestion} at {@link #ADDRESS}, get a {@link RateDecision} back. Deployed once per
 * Sextant instance, before the HTTP verticles, it decides every request of the instance on its
 * own event loop ({@link RateLimiter}), so the HTTP verticles of every event loop share one view
 * of each subject: one headroom, one batch of waiting requests per subject. Asking costs one hop
 * from the asking event loop to the limiter's and back.
 *
 * <p>Local by design, also once the event bus is clustered: the limiter consumes with
 * {@link EventBus#localConsumer}, so its address is never registered in the cluster, and
 * {@link RateLimitHandler} asks with local-only delivery, so each instance asks its own limiter and
 * a question never crosses the network. The limits themselves are shared by every instance
 * through Redis. Questions and decisions cross the event bus as they are ({@link LocalCodec}, no
 * wire format); their codecs are registered while the limiter is deployed, which is why a Vert.x
 * instance holds at most one.
 */
public final class RateLimiterVerticle extends VerticleBase {

  /** Where the limiter is asked, on the event bus of its own instance. */
  public static final String ADDRESS = "sextant.ratelimit.decide";

  private static final Logger log = LoggerFactory.getLogger(RateLimiterVerticle.class);

  private final ResilientRedis redis;
  private final RateLimitConfig config;

  public RateLimiterVerticle(ResilientRedis redis, RateLimitConfig config) {
    this.redis = redis;
    this.config = config;
  }

  /** Reads the script (off the event loop), then answers at {@link #ADDRESS}. */
  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> ClasspathText.read(RateLimiter.SCRIPT_RESOURCE)).compose(script -> {
      registerCodecs(vertx.eventBus());
      RateLimiter limiter = new RateLimiter(context, redis, config, script);
      // the timer and the consumer go with the verticle
      vertx.setPeriodic(HeadroomBatcher.FORGET_EVERY_MS, timer -> limiter.forgetIdle());
      return vertx.eventBus().<RateQuestion>localConsumer(ADDRESS, message -> answer(limiter, message))
          .completion();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.eventBus().unregisterDefaultCodec(RateQuestion.class);
    vertx.eventBus().unregisterDefaultCodec(RateDecision.class);
    return Future.succeededFuture();
  }

  private static void answer(RateLimiter limiter, Message<RateQuestion> message) {
    limiter.decide(message.body()).onComplete(decision -> {
      if (decision.succeeded()) {
        message.reply(decision.result());
      } else {
        // the limiter falls back to memory rather than fail: this is a bug; the request passes
        log.error("rate limiter failed to decide", decision.cause());
        message.fail(500, "rate limiter failed");
      }
    });
  }

  private static void registerCodecs(EventBus bus) {
    bus.registerDefaultCodec(RateQuestion.class, new LocalCodec<>(RateQuestion.class));
    bus.registerDefaultCodec(RateDecision.class, new LocalCodec<>(RateDecision.class));
  }
}
