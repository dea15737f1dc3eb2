package dev.sextant.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The queue's meters: gauges per kind of the queued, running and dead jobs and the age of the
 * oldest due one (refreshed from PostgreSQL by {@link JobWorkerVerticle}, so they show the whole
 * cluster's queue), failures and run times of this instance's attempts.
 */
final class JobMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<JobQueue.KindCounts>> gauges = new ConcurrentHashMap<>();

  JobMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void failed(String kind) {
    failures(kind).increment();
  }

  /**
   * Registered with a kind's gauges too, at 0: a counter that first appears with its first
   * failure hides that failure from rate() and leaves the dashboard's failure panel empty.
   */
  private Counter failures(String kind) {
    return Counter.builder("sextant.jobs.failed").tag("kind", kind)
        .description("failed attempts (timeouts included)").register(registry);
  }

  void ran(String kind, Duration duration, String outcome) {
    Timer.builder("sextant.jobs.duration").tag("kind", kind).tag("outcome", outcome)
        .description("run time of an attempt").register(registry).record(duration);
  }

  /** Sets every kind's gauges; a kind no longer seen reads 0. */
  void refresh(List<JobQueue.KindCounts> counts) {
    gauges.values().forEach(ref -> ref.set(new JobQueue.KindCounts(ref.get().kind(), 0, 0, 0, 0)));
    for (JobQueue.KindCounts c : counts) {
      gauges.computeIfAbsent(c.kind(), this::register).set(c);
    }
  }

  private AtomicReference<JobQueue.KindCounts> register(String kind) {
    AtomicReference<JobQueue.KindCounts> ref =
        new AtomicReference<>(new JobQueue.KindCounts(kind, 0, 0, 0, 0));
    Gauge.builder("sextant.jobs.queued", ref, r -> r.get().queued()).tag("kind", kind)
        .description("jobs waiting to run (due or not)").register(registry);
    Gauge.builder("sextant.jobs.running", ref, r -> r.get().running()).tag("kind", kind)
        .description("jobs claimed by a worker").register(registry);
    Gauge.builder("sextant.jobs.dead", ref, r -> r.get().dead()).tag("kind", kind)
        .description("jobs out of attempts").register(registry);
    Gauge.builder("sextant.jobs.oldest.age", ref, r -> r.get().oldestAgeSeconds()).tag("kind", kind)
        .baseUnit("seconds").description("age of the oldest due job not yet running")
        .register(registry);
    failures(kind);
    return ref;
  }
}
