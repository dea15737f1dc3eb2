package dev.sextant.ratelimit;

import dev.sextant.cache.ResilientRedis;
import dev.sextant.common.Digests;
import dev.sextant.config.SextantConfig.RateLimitConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Headroom: while the last count Redis gave for a subject (at most {@value #HEADROOM_TRUST_MS} ms
 * old) leaves at least half the limit, and at least {@value #MIN_HEADROOM} requests, free after
 * everything admitted since, a request is admitted at once and counted by a script call within
 * {@value #COUNT_WITHIN_MS} ms (which adds it whatever the count). Far from the limit a request
 * then does not wait for Redis, and a busy key costs a call per interval; near the limit every
 * request waits for its decision, so the limit holds exactly. Only other instances spending more
 * than that margin within one interval could push a window past its limit.
 */
public final class RateLimiter {

  private static final String ADDRESS_PREFIX = "sextant.ratelimit.decide.";
  /** Most requests one script call decides. */
  static final int MAX_BATCH = 500;
  /** How long the count of a script call is trusted for admitting from headroom. */
  static final long HEADROOM_TRUST_MS = 1000;
  /** The fewest free slots, beyond half the limit, for admitting from headroom. */
  static final int MIN_HEADROOM = 100;
  /** How soon requests admitted from headroom are counted in Redis. */
  static final long COUNT_WITHIN_MS = 5;

  /**
   * KEYS[1] the log, KEYS[2] its total; ARGV window ms, limit, a unique member prefix, how many
   * requests to decide, how many were already admitted (from headroom: counted whatever the
   * count). Admits as many of the others as there are free slots, in order. Returns {admitted,
   * counted before, reset ms}.
   *
   * <p>Each call adds one entry, scored with Redis's time and named after the number of requests
   * it admitted ({@code time:member prefix:count}), and the total is kept beside the log: a busy
   * key costs an entry per call instead of per request. Should either key be lost without the
   * other (evicted, expired a moment apart), the total is rebuilt from the log.
   */
  static final String SLIDING_LOG = """
      if redis.replicate_commands then redis.replicate_commands() end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local window = tonumber(ARGV[1])
      local limit = tonumber(ARGV[2])
      local wanted = tonumber(ARGV[4])
      local ahead = tonumber(ARGV[5])
      local function count(entries)
        local sum = 0
        for i = 1, #entries do
          sum = sum + tonumber(string.match(entries[i], ':(%d+)$'))
        end
        return sum
      end
      local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
      if #expired > 0 then
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
      end
      local before = redis.call('GET', KEYS[2])
      if redis.call('EXISTS', KEYS[1]) == 0 then
        before = 0
      elseif before then
        before = tonumber(before) - count(expired)
      else
        before = count(redis.call('ZRANGE', KEYS[1], 0, -1))
      end
      local admitted = math.max(0, math.min(wanted, limit - before - ahead))
      local added = admitted + ahead
      if added > 0 then
        redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3] .. ':' .. added)
      end
      if before + added > 0 then
        redis.call('SET', KEYS[2], before + added, 'PX', window)
        redis.call('PEXPIRE', KEYS[1], window)
      else
        redis.call('DEL', KEYS[2])
      end
      local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      local reset = window
      if oldest[2] then reset = tonumber(oldest[2]) + window - now end
      return {admitted, before, reset}
      """;

  /** Sent as EVALSHA: Redis then neither receives nor hashes the script on every call. */
  private static final String SLIDING_LOG_SHA = HexFormat.of().formatHex(Digests.sha1(SLIDING_LOG));

  private final Vertx vertx;
  private final ResilientRedis redis;
  private final RateLimitConfig config;
  private final LocalSlidingWindow local;
  /** Log members are unique across instances without a random UUID per request. */
  private final String memberPrefix = UUID.randomUUID() + ":";
  private final AtomicLong sequence = new AtomicLong();
  /** Per log key, what this verticle knows and owes (only touched from its thread). */
  private final Map<String, Subject> subjects = new HashMap<>();
  private Context context;

  /** One log key as this verticle sees it. */
  private static final class Subject {
    final String localKey;
    final int limit;
    /** Requests waiting for a decision by the next call. */
    List<Message<RateQuestion>> waiting = new ArrayList<>();
    /** Admitted from headroom, for the next call to count. */
    int aheadWaiting;
    /** Admitted from headroom, counted by the call that is out. */
    int aheadOut;
    boolean calling;
    /** A call is due within {@link #COUNT_WITHIN_MS} for what was admitted from headroom. */
    boolean countScheduled;
    /** Free slots after the last call, -1 if unknown; when that was, and the reset it gave. */
    int knownFree = -1;
    long knownAtMs;
    long knownResetMs;

    Subject(String localKey, int limit) {
      this.localKey = localKey;
      this.limit = limit;
    }

    int free() {
      return knownFree - aheadOut - aheadWaiting;
    }

    boolean hasHeadroom(long nowMs) {
      return knownFree >= 0 && nowMs - knownAtMs < HEADROOM_TRUST_MS
          && free() - 1 >= Math.max(limit / 2, MIN_HEADROOM);
    }

    boolean idle(long nowMs) {
      return !calling && !countScheduled && waiting.isEmpty() && aheadWaiting == 0
          && nowMs - knownAtMs >= HEADROOM_TRUST_MS;
    }
  }

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
    // forget subjects nobody asked about lately (the timer goes with the verticle)
    vertx.setPeriodic(10 * HEADROOM_TRUST_MS, timer -> {
      long now = System.currentTimeMillis();
      subjects.values().removeIf(subject -> subject.idle(now));
    });
    String address = ADDRESS_PREFIX + UUID.randomUUID();
    return vertx.eventBus().<RateQuestion>localConsumer(address, this::decide).completion()
        .map(v -> address);
  }

  private void decide(Message<RateQuestion> message) {
    RateQuestion question = message.body();
    // "rl2": logs of one entry per call (the earlier layout, one per request, lived under "rl")
    String key = redis.key("rl2", question.group(), question.subject());
    Subject subject = subjects.computeIfAbsent(key,
        k -> new Subject(question.group() + ":" + question.subject(), limit(question.group())));
    long now = System.currentTimeMillis();
    if (subject.hasHeadroom(now)) {
      subject.aheadWaiting++;
      message.reply(new RateDecision(true, subject.limit, subject.free(),
          subject.knownResetMs - (now - subject.knownAtMs), "headroom"));
      if (!subject.calling) {
        countSoon(key, subject);
      }
    } else {
      subject.waiting.add(message);
      if (!subject.calling) {
        call(key, subject);
      }
    }
  }

  /**
   * Requests admitted from headroom are counted by a call within {@value #COUNT_WITHIN_MS} ms
   * (sooner if a request must wait for its decision): under load a key then costs a call per
   * interval rather than one per round trip.
   */
  private void countSoon(String key, Subject subject) {
    if (subject.countScheduled) {
      return;
    }
    subject.countScheduled = true;
    vertx.setTimer(COUNT_WITHIN_MS, timer -> {
      subject.countScheduled = false;
      if (!subject.calling) {
        call(key, subject);
      }
    });
  }

  /**
   * Counts what was admitted from headroom and decides up to {@link #MAX_BATCH} waiting requests of
   * {@code key}, then the next ones.
   */
  private void call(String key, Subject subject) {
    List<Message<RateQuestion>> batch;
    if (subject.waiting.size() <= MAX_BATCH) {
      batch = subject.waiting;
      subject.waiting = new ArrayList<>();
    } else {
      batch = new ArrayList<>(subject.waiting.subList(0, MAX_BATCH));
      subject.waiting.subList(0, MAX_BATCH).clear();
    }
    int ahead = subject.aheadWaiting;
    if (batch.isEmpty() && ahead == 0) {
      subject.calling = false;
      return;
    }
    subject.calling = true;
    subject.aheadWaiting = 0;
    subject.aheadOut = ahead;
    int limit = subject.limit;
    long windowMs = config.windowSeconds() * 1000L;
    String members = memberPrefix + sequence.incrementAndGet();
    redis.send(script(Command.EVALSHA, SLIDING_LOG_SHA, key, windowMs, limit, members, batch.size(), ahead))
        .recover(e -> isNoScript(e) // Redis restarted or was flushed: it forgot the script
            ? redis.send(script(Command.EVAL, SLIDING_LOG, key, windowMs, limit, members, batch.size(), ahead))
            : Future.failedFuture(e))
        .onComplete(ar -> onThisContext(() -> {
          long now = System.currentTimeMillis();
          if (ar.succeeded()) {
            Response reply = ar.result();
            for (int i = 0; i < batch.size(); i++) {
              batch.get(i).reply(fromRedis(reply, limit, ahead, i));
            }
            subject.knownFree = Math.max(0, limit - reply.get(1).toInteger() - ahead - reply.get(0).toInteger());
            subject.knownAtMs = now;
            subject.knownResetMs = reply.get(2).toLong();
          } else {
            subject.knownFree = -1;
            for (int i = 0; i < ahead; i++) {
              local.decide(subject.localKey, limit, now); // admitted already: only counted here
            }
            for (Message<RateQuestion> message : batch) {
              message.reply(local.decide(subject.localKey, limit, now));
            }
          }
          subject.aheadOut = 0;
          subject.calling = false;
          if (!subject.waiting.isEmpty()) {
            call(key, subject);
          } else if (subject.aheadWaiting > 0) {
            countSoon(key, subject);
          }
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
      int limit, String members, int wanted, int ahead) {
    return Request.cmd(command).arg(script).arg(2).arg(key).arg(key + ":n").arg(windowMs).arg(limit)
        .arg(members).arg(wanted).arg(ahead);
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }


  /**
   * The decision for the {@code position}-th request (from 0) of a batch that followed {@code ahead}
   * requests admitted from headroom.
   */
  private static RateDecision fromRedis(Response reply, int limit, int ahead, int position) {
    int admitted = reply.get(0).toInteger();
    int before = reply.get(1).toInteger() + ahead;
    boolean allowed = position < admitted;
    int remaining = allowed ? limit - before - position - 1 : limit - before - admitted;
    return new RateDecision(allowed, limit, Math.max(0, remaining), reply.get(2).toLong(), "redis");
  }
}
