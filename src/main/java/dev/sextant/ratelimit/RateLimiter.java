package dev.sextant.ratelimit;

import dev.sextant.cache.ResilientRedis;
import dev.sextant.common.Digests;
import dev.sextant.config.SextantConfig.RateLimitConfig;
import dev.sextant.ratelimit.HeadroomBatcher.Counted;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Decides {@link RateQuestion}s: a sliding log per subject in a Redis sorted set, trimmed, counted
 * and appended by one atomic Lua script on Redis's clock ({@code ratelimit/sliding_log.lua}), so
 * the limit holds across every instance. The script is sent as EVALSHA, and as EVAL once Redis has
 * forgotten it. When and for how many requests it is called is the {@link HeadroomBatcher}'s
 * business. While Redis is unreachable the same log is kept in this process's memory
 * ({@link LocalSlidingWindow}): limits then hold per instance, never unlimited.
 *
 * <p>Used from the limiter verticle's event loop only.
 */
final class RateLimiter {

  /** The script, on the classpath. */
  static final String SCRIPT_RESOURCE = "ratelimit/sliding_log.lua";

  private final ResilientRedis redis;
  private final RateLimitConfig config;
  private final String script;
  /** Sent as EVALSHA: Redis then neither receives nor hashes the script on every call. */
  private final String scriptSha;
  private final long windowMs;
  private final LocalSlidingWindow local;
  private final HeadroomBatcher batcher;
  /** Log members are unique across instances without a random UUID per call. */
  private final String memberPrefix = UUID.randomUUID() + ":";
  private long sequence;

  /** Keeps its state on {@code context}, the limiter's event loop; {@code script} is the Lua text. */
  RateLimiter(Context context, ResilientRedis redis, RateLimitConfig config, String script) {
    this.redis = redis;
    this.config = config;
    this.script = script;
    this.scriptSha = HexFormat.of().formatHex(Digests.sha1(script));
    this.windowMs = config.windowSeconds() * 1000L;
    this.local = new LocalSlidingWindow(windowMs);
    this.batcher = new HeadroomBatcher(context, this::countInRedis, this::countLocally);
  }

  /** The decision for {@code question}; never fails. */
  Future<RateDecision> decide(RateQuestion question) {
    // the layout's version is in the key ("rl2": one entry per call), so instances of another
    // layout running beside this one during an upgrade never read these logs as theirs
    return batcher.decide(redis.key("rl2", question.group(), question.subject()),
        limit(question.group()));
  }

  /** Forgets the subjects nobody asked about lately. */
  void forgetIdle() {
    batcher.forgetIdle();
  }

  private Future<Counted> countInRedis(String key, int limit, int wanted, int ahead) {
    String members = memberPrefix + ++sequence;
    return redis.send(call(Command.EVALSHA, scriptSha, key, limit, members, wanted, ahead))
        .recover(e -> isNoScript(e) // Redis restarted or was flushed: it forgot the script
            ? redis.send(call(Command.EVAL, script, key, limit, members, wanted, ahead))
            : Future.failedFuture(e))
        .map(reply -> fromRedis(reply, limit, wanted, ahead));
  }

  private Counted countLocally(String key, int limit, int wanted, int ahead) {
    long now = System.currentTimeMillis();
    for (int i = 0; i < ahead; i++) {
      local.decide(key, limit, now); // admitted already: only counted here
    }
    List<RateDecision> decisions = new ArrayList<>(wanted);
    for (int i = 0; i < wanted; i++) {
      decisions.add(local.decide(key, limit, now));
    }
    return new Counted(decisions, -1, 0);
  }

  private int limit(String group) {
    long perMinute = config.perMinute().getOrDefault(group, config.perMinute().getOrDefault("default", 1000));
    return (int) Math.min(Integer.MAX_VALUE, perMinute * config.windowSeconds() / 60);
  }

  private Request call(Command command, String scriptOrSha, String key, int limit, String members,
      int wanted, int ahead) {
    return Request.cmd(command).arg(scriptOrSha).arg(2).arg(key).arg(key + ":n").arg(windowMs)
        .arg(limit).arg(members).arg(wanted).arg(ahead);
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  /**
   * The script's reply {admitted, counted before, reset ms} as a decision per waiting request (the
   * first {@code admitted} of the {@code wanted} pass, each taking its own slot, after the
   * {@code ahead} admitted from headroom) and the slots left free.
   */
  private static Counted fromRedis(Response reply, int limit, int wanted, int ahead) {
    int admitted = reply.get(0).toInteger();
    int before = reply.get(1).toInteger() + ahead;
    long resetMs = reply.get(2).toLong();
    List<RateDecision> decisions = new ArrayList<>(wanted);
    for (int position = 0; position < wanted; position++) {
      boolean allowed = position < admitted;
      int remaining = allowed ? limit - before - position - 1 : limit - before - admitted;
      decisions.add(new RateDecision(allowed, limit, Math.max(0, remaining), resetMs, "redis"));
    }
    return new Counted(decisions, Math.max(0, limit - before - admitted), resetMs);
  }
}
