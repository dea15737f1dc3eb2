package dev.sextant.ratelimit;

import dev.sextant.cache.ResilientRedis;
import dev.sextant.config.SextantConfig.RateLimitConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate limiter, offered to the HTTP verticles as a service on the event bus at
 * {@link #ADDRESS}: request {@code {group, subject}}, reply a {@link RateDecision}.
 *
 * <p>A sliding log per subject in a Redis sorted set, trimmed, counted and appended by one atomic
 * Lua script on Redis's clock, so the limit holds across every instance. While Redis is
 * unreachable each instance keeps the same log in memory.
 */
public final class RateLimiterVerticle extends VerticleBase {

  public static final String ADDRESS = "sextant.ratelimit.decide";

  /** KEYS[1] the log; ARGV window ms, limit, a unique member. Returns {allowed, remaining, reset ms}. */
  static final String SLIDING_LOG = """
      if redis.replicate_commands then redis.replicate_commands() end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local window = tonumber(ARGV[1])
      local limit = tonumber(ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
      local count = redis.call('ZCARD', KEYS[1])
      local allowed = 0
      if count < limit then
        redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
        count = count + 1
        allowed = 1
      end
      redis.call('PEXPIRE', KEYS[1], window)
      local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      local reset = window
      if oldest[2] then reset = tonumber(oldest[2]) + window - now end
      return {allowed, limit - count, reset}
      """;

  /** Sent as EVALSHA: Redis then neither receives nor hashes the script on every request. */
  private static final String SLIDING_LOG_SHA = sha1Hex(SLIDING_LOG);

  private final ResilientRedis redis;
  private final RateLimitConfig config;
  /** Log members are unique across instances without a random UUID per request. */
  private final String memberPrefix = UUID.randomUUID() + ":";
  private final AtomicLong sequence = new AtomicLong();
  private LocalSlidingWindow local;

  public RateLimiterVerticle(ResilientRedis redis, RateLimitConfig config) {
    this.redis = redis;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    local = new LocalSlidingWindow(config.windowSeconds() * 1000L);
    return vertx.eventBus().<JsonObject>consumer(ADDRESS, this::decide).completion();
  }

  private void decide(Message<JsonObject> message) {
    String group = message.body().getString("group");
    String subject = message.body().getString("subject");
    long perMinute = config.perMinute().getOrDefault(group, config.perMinute().getOrDefault("default", 1000));
    int limit = (int) Math.min(Integer.MAX_VALUE, perMinute * config.windowSeconds() / 60);
    long windowMs = config.windowSeconds() * 1000L;
    String key = redis.key("rl", group, subject);
    String member = memberPrefix + sequence.incrementAndGet();
    redis.send(script(Command.EVALSHA, SLIDING_LOG_SHA, key, windowMs, limit, member))
        .recover(e -> isNoScript(e) // Redis restarted or was flushed: it forgot the script
            ? redis.send(script(Command.EVAL, SLIDING_LOG, key, windowMs, limit, member))
            : Future.failedFuture(e))
        .map(reply -> fromRedis(reply, limit))
        .otherwise(e -> local.decide(group + ":" + subject, limit, System.currentTimeMillis()))
        .onSuccess(decision -> message.reply(decision.toJson()));
  }

  private static Request script(Command command, String script, String key, long windowMs,
      int limit, String member) {
    return Request.cmd(command).arg(script).arg(1).arg(key).arg(windowMs).arg(limit).arg(member);
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  private static RateDecision fromRedis(Response reply, int limit) {
    return new RateDecision(reply.get(0).toInteger() == 1, limit, Math.max(0, reply.get(1).toInteger()),
        reply.get(2).toLong(), "redis");
  }
}
