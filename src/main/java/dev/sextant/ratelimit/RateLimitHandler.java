package dev.sextant.ratelimit;

import dev.sextant.common.Digests;
import dev.sextant.config.SextantConfig.RateLimitConfig;
import dev.sextant.http.BearerToken;
import dev.sextant.http.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the rate limiter about every API request: {@code /api/v1/auth/*} is the {@code auth} group,
 * limited per client IP; everything else is {@code default}, limited per API key, else per client
 * IP. Health and metrics are never limited. Answers carry the {@code X-RateLimit-*} headers; over
 * the limit is a 429 with {@code Retry-After}. Should the limiter not answer, the request passes.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(RateLimitHandler.class);
  /** How API keys begin (they are made by the auth resource): each is limited on its own. */
  private static final String API_KEY_PREFIX = "sxk_";
  /** Local only: each instance asks its own limiter, also on a clustered event bus. */
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(1000).setLocalOnly(true);

  private final List<String> trustedProxies;
  private final Counter rejected;
  private final MeterRegistry registry;
  /** Decision counters by group, backend and outcome: looked up in the registry once each. */
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();

  /** Asks the limiter of this instance ({@link RateLimiterVerticle}, deployed before). */
  public RateLimitHandler(RateLimitConfig config, MeterRegistry registry) {
    this.trustedProxies = config.trustedProxies();
    this.registry = registry;
    this.rejected = Counter.builder("sextant.ratelimit.rejected")
        .description("Requests refused with 429").register(registry);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.startsWith("/api/") && !path.startsWith("/v1/")) {
      ctx.next();
      return;
    }
    String group = path.startsWith("/api/v1/auth/") ? "auth" : "default";
    RateQuestion question = new RateQuestion(group, subject(ctx, group));
    ctx.vertx().eventBus().<RateDecision>request(RateLimiterVerticle.ADDRESS, question, ASK)
        .onComplete(answer -> {
          if (answer.failed()) {
            log.warn("rate limiter did not answer, request passes: {}", answer.cause().getMessage());
            ctx.next();
            return;
          }
          RateDecision decision = answer.result().body();
          decisions.computeIfAbsent(group + "|" + decision.backend() + "|" + decision.allowed(),
              k -> registry.counter("sextant.ratelimit.decisions", "group", group,
                  "backend", decision.backend(), "outcome", decision.allowed() ? "allowed" : "rejected"))
              .increment();
          HttpServerResponse response = ctx.response();
          response.putHeader("X-RateLimit-Limit", Integer.toString(decision.limit()));
          response.putHeader("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
          response.putHeader("X-RateLimit-Reset", Long.toString(decision.resetSeconds()));
          if (decision.allowed()) {
            ctx.next();
          } else {
            rejected.increment();
            ctx.fail(new Problem(429, "urn:sextant:problem:rate-limited",
                "Rate limit of " + decision.limit() + " requests per window exceeded; retry in "
                    + decision.resetSeconds() + " s",
                List.of(), Map.of("Retry-After", Long.toString(decision.resetSeconds()))));
          }
        });
  }

  /** Who is limited: the API key (by hash, never the secret) for data-plane calls, else the IP. */
  private String subject(RoutingContext ctx, String group) {
    String token = BearerToken.of(ctx.request());
    if (group.equals("default") && token != null && token.startsWith(API_KEY_PREFIX)) {
      return "key:" + HexFormat.of().formatHex(Digests.sha256(token), 0, 16);
    }
    return "ip:" + clientIp(ctx);
  }

  private String clientIp(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded != null && trustedProxies.contains(peer)) {
      String first = forwarded.split(",", 2)[0].trim();
      if (!first.isEmpty() && first.length() <= 64) {
        return first;
      }
    }
    return peer;
  }
}
