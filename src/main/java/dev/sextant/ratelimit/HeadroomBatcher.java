package dev.sextant.ratelimit;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the limiter knows and owes per subject between two counts in the shared store, and when it
 * counts next. Requests of one subject that arrive while its count is out are decided together by
 * the next one, in arrival order (the first ones while slots are left), at most {@value #MAX_BATCH}
 * a call: under load a busy key costs one call per round trip, not one per request, and the count
 * stays exact.
 *
 * <p>Headroom: while the last count for a subject (at most {@value #HEADROOM_TRUST_MS} ms old)
 * leaves at least half the limit, and at least {@value #MIN_HEADROOM} requests, free after
 * everything admitted since, a request is admitted at once and counted by a call within
 * {@value #COUNT_WITHIN_MS} ms (which adds it whatever the count). Far from the limit a request
 * then does not wait for the store, and a busy key costs a call per interval; near the limit every
 * request waits for its decision, so the limit holds exactly. Only other instances spending more
 * than that margin within one interval could push a window past its limit.
 *
 * <p>Not thread-safe: used from the limiter's event loop only; a count that completes elsewhere is
 * handed back to that loop before anything here is touched.
 */
final class HeadroomBatcher {

  /** Most requests one call decides. */
  static final int MAX_BATCH = 500;
  /** How long a count is trusted for admitting from headroom. */
  static final long HEADROOM_TRUST_MS = 1000;
  /** The fewest free slots, beyond half the limit, for admitting from headroom. */
  static final int MIN_HEADROOM = 100;
  /** How soon requests admitted from headroom are counted. */
  static final long COUNT_WITHIN_MS = 5;
  /** How often subjects nobody asked about lately are forgotten. */
  static final long FORGET_EVERY_MS = 10 * HEADROOM_TRUST_MS;

  /**
   * What one count decided: a decision per waiting request, in order, then the free slots it left
   * ({@code -1} when unknown: no headroom until the next count) and the milliseconds until a slot
   * frees.
   */
  record Counted(List<RateDecision> decisions, int free, long resetMs) {}

  /** Counts in the store the instances share; may fail, and then {@link LocalCount} decides. */
  @FunctionalInterface
  interface SharedCount {
    /**
     * Decides {@code wanted} waiting requests of {@code key}, in order, after counting {@code ahead}
     * requests admitted already from headroom.
     */
    Future<Counted> count(String key, int limit, int wanted, int ahead);
  }

  /** Counts in this process's memory, while the shared store is unreachable. */
  @FunctionalInterface
  interface LocalCount {
    Counted count(String key, int limit, int wanted, int ahead);
  }

  private final Context context;
  private final SharedCount shared;
  private final LocalCount local;
  private final Map<String, Subject> subjects = new HashMap<>();

  /** Keeps its state on {@code context}, the limiter's event loop. */
  HeadroomBatcher(Context context, SharedCount shared, LocalCount local) {
    this.context = context;
    this.shared = shared;
    this.local = local;
  }

  /** The decision for one more request of {@code key}, whose limit is {@code limit}; never fails. */
  Future<RateDecision> decide(String key, int limit) {
    Subject subject = subjects.computeIfAbsent(key, k -> new Subject(limit));
    long now = System.currentTimeMillis();
    if (subject.hasHeadroom(now)) {
      subject.aheadWaiting++;
      RateDecision admitted = new RateDecision(true, subject.limit, subject.free(),
          subject.knownResetMs - (now - subject.knownAtMs), "headroom");
      if (!subject.calling) {
        countSoon(key, subject);
      }
      return Future.succeededFuture(admitted);
    }
    Promise<RateDecision> decision = Promise.promise();
    subject.waiting.add(decision);
    if (!subject.calling) {
      call(key, subject);
    }
    return decision.future();
  }

  /** Forgets the subjects nobody asked about lately (nothing owed, count no longer trusted). */
  void forgetIdle() {
    long now = System.currentTimeMillis();
    subjects.values().removeIf(subject -> subject.idle(now));
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
    context.owner().setTimer(COUNT_WITHIN_MS, timer -> {
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
    List<Promise<RateDecision>> batch = subject.takeBatch();
    int ahead = subject.aheadWaiting;
    if (batch.isEmpty() && ahead == 0) {
      subject.calling = false;
      return;
    }
    subject.calling = true;
    subject.aheadWaiting = 0;
    subject.aheadOut = ahead;
    shared.count(key, subject.limit, batch.size(), ahead)
        .onComplete(counted -> onLimiterLoop(() -> settle(key, subject, batch, ahead, counted)));
  }

  private void settle(String key, Subject subject, List<Promise<RateDecision>> batch, int ahead,
      AsyncResult<Counted> result) {
    // while the store is unreachable those admitted already are only counted here
    Counted counted = result.succeeded() ? result.result()
        : local.count(key, subject.limit, batch.size(), ahead);
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(counted.decisions().get(i));
    }
    subject.knownFree = counted.free();
    if (counted.free() >= 0) {
      subject.knownAtMs = System.currentTimeMillis();
      subject.knownResetMs = counted.resetMs();
    }
    subject.aheadOut = 0;
    subject.calling = false;
    if (!subject.waiting.isEmpty()) {
      call(key, subject);
    } else if (subject.aheadWaiting > 0) {
      countSoon(key, subject);
    }
  }

  /** Vert.x completes a call on the context that made it; should one not, it is handed back. */
  private void onLimiterLoop(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** One subject as the limiter sees it. */
  private static final class Subject {
    final int limit;
    /** Requests waiting for a decision by the next call. */
    List<Promise<RateDecision>> waiting = new ArrayList<>();
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

    Subject(int limit) {
      this.limit = limit;
    }

    /** The next at most {@link #MAX_BATCH} waiting requests, taken off the list. */
    List<Promise<RateDecision>> takeBatch() {
      if (waiting.size() <= MAX_BATCH) {
        List<Promise<RateDecision>> batch = waiting;
        waiting = new ArrayList<>();
        return batch;
      }
      List<Promise<RateDecision>> head = waiting.subList(0, MAX_BATCH);
      List<Promise<RateDecision>> batch = new ArrayList<>(head);
      head.clear();
      return batch;
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
}
