package dev.sextant.ratelimit;

import dev.sextant.cache.ResilientRedis;
import dev.sextant.config.SextantConfig.RateLimitConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate limiter, offered to the HTTP verticles as a service on the event bus: request a
 * {@link RateQuestion}, reply a {@link RateDecision}. Each HTTP verticle serves it on its own event
 * loop, at an address of its own ({@link #serve()}), so asking never crosses threads; the limits
 * themselves live in Redis, shared by every verticle and instance.
 *
 * <p>A sliding log per subject in a Redis sorted set, trimmed, counted and appended by one atomic
 * Lua script on Redis's clock, so the limit holds across every instance. Requests of one subject
 * that arrive while its script call is out are decided together by the next call, in arrival
 * order (the first ones while slots are left): under load a busy key costs one Redis call per
 * round trip, not one per request, and the count stays exact. While Redis is unreachable the
 * server keeps the same log in memory ({@link LocalSlidingWindow}, shared by its verticles).
 */
public final class RateLimiter {

  private static final String ADDRESS_PREFIX = "sextant.ratelimit.decide.";
  /** Most requests one script call decides. */
  static final int MAX_BATCH = 500;

  /**
   * KEYS[1] the log; ARGV window ms, limit, a unique member prefix, how many requests. Admits as
   * many as there are free slots, in order. Returns {admitted, counted before, reset ms}.
   */
  static final String SLIDING_LOG = """
      if redis.replicate_commands then redis.replicate_commands() end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local window = tonumber(ARGV[1])
      local limit = tonumber(ARGV[2])
      local wanted = tonumber(ARGV[4])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
      local before = redis.call('ZCARD', KEYS[1])
      local admitted = math.max(0, math.min(wanted, limit - before))
      if admitted > 0 then
        local args = {}
        for i = 1, admitted do
          args[2 * i - 1] = now
          args[2 * i] = now .. ':' .. ARGV[3] .. ':' .. i
        end
        redis.call('ZADD', KEYS[1], unpack(args))
      end
      redis.call('PEXPIRE', KEYS[1], window)
      local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      local reset = window
      if oldest[2] then reset = tonumber(oldest[2]) + window - now end
      return {admitted, before, reset}
      """;

  /** Sent as EVALSHA: Redis then neither receives nor hashes the script on every call. */
  private static final String SLIDING_LOG_SHA = sha1Hex(SLIDING_LOG);

  private final Vertx vertx;
  private final ResilientRedis redis;
  private final RateLimitConfig config;
  private final LocalSlidingWindow local;
  /** Log members are unique across instances without a random UUID per request. */
  private final String memberPrefix = UUID.randomUUID() + ":";
  private final AtomicLong sequence = new AtomicLong();
  /** Per log key: the requests waiting for the call that is out (only this verticle's thread). */
  private final Map<String, List<Message<RateQuestion>>> waiting = new HashMap<>();
  private final Set<String> calling = new HashSet<>();
  private Context context;

  public RateLimiter(Vertx vertx, ResilientRedis redis, RateLimitConfig config,
      LocalSlidingWindow local) {
    this.vertx = vertx;
    this.redis = redis;
    this.config = config;
    this.local = local;
  }

  /** Lets questions and decisions cross the event bus as they are; once per Vert.x instance. */
  public static void registerCodecs(Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(RateQuestion.class, new LocalCodec<>(RateQuestion.class));
    vertx.eventBus().registerDefaultCodec(RateDecision.class, new LocalCodec<>(RateDecision.class));
  }

  /**
   * Starts answering on the calling verticle's event loop, at the address the future gives (the
   * consumer goes when the verticle is undeployed). Local only: in a cluster each server asks its
   * own limiter.
   */
  public Future<String> serve() {
    context = vertx.getOrCreateContext();
    String address = ADDRESS_PREFIX + UUID.randomUUID();
    return vertx.eventBus().<RateQuestion>localConsumer(address, this::decide).completion()
        .map(v -> address);
  }

  private void decide(Message<RateQuestion> message) {
    String key = redis.key("rl", message.body().group(), message.body().subject());
    waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    if (!calling.contains(key)) {
      call(key);
    }
  }

  /** Decides up to {@link #MAX_BATCH} waiting requests of {@code key}, then the next ones. */
  private void call(String key) {
    List<Message<RateQuestion>> queue = waiting.get(key);
    if (queue == null) {
      calling.remove(key);
      return;
    }
    List<Message<RateQuestion>> batch;
    if (queue.size() <= MAX_BATCH) {
      batch = queue;
      waiting.remove(key);
    } else {
      batch = new ArrayList<>(queue.subList(0, MAX_BATCH));
      queue.subList(0, MAX_BATCH).clear();
    }
    calling.add(key);
    String group = batch.get(0).body().group();
    String subject = batch.get(0).body().subject();
    int limit = limit(group);
    long windowMs = config.windowSeconds() * 1000L;
    String members = memberPrefix + sequence.incrementAndGet();
    redis.send(script(Command.EVALSHA, SLIDING_LOG_SHA, key, windowMs, limit, members, batch.size()))
        .recover(e -> isNoScript(e) // Redis restarted or was flushed: it forgot the script
            ? redis.send(script(Command.EVAL, SLIDING_LOG, key, windowMs, limit, members, batch.size()))
            : Future.failedFuture(e))
        .onComplete(ar -> onThisContext(() -> {
          for (int i = 0; i < batch.size(); i++) {
            RateDecision decision = ar.succeeded()
                ? fromRedis(ar.result(), limit, i)
                : local.decide(group + ":" + subject, limit, System.currentTimeMillis());
            batch.get(i).reply(decision);
          }
          call(key);
        }));
  }

  /** The waiting lists are only touched from the serving verticle's event loop. */
  private void onThisContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private int limit(String group) {
    long perMinute = config.perMinute().getOrDefault(group, config.perMinute().getOrDefault("default", 1000));
    return (int) Math.min(Integer.MAX_VALUE, perMinute * config.windowSeconds() / 60);
  }

  private static Request script(Command command, String script, String key, long windowMs,
      int limit, String members, int wanted) {
    return Request.cmd(command).arg(script).arg(1).arg(key).arg(windowMs).arg(limit).arg(members)
        .arg(wanted);
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

  /** The decision for the {@code position}-th request (from 0) of a batch. */
  private static RateDecision fromRedis(Response reply, int limit, int position) {
    int admitted = reply.get(0).toInteger();
    int before = reply.get(1).toInteger();
    boolean allowed = position < admitted;
    int remaining = allowed ? limit - before - position - 1 : limit - before - admitted;
    return new RateDecision(allowed, limit, Math.max(0, remaining), reply.get(2).toLong(), "redis");
  }
}
