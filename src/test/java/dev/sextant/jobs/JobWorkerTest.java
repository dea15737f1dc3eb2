package dev.sextant.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.JobsConfig;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Job workers")
class JobWorkerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static String url;
  private static Workers workers;

  @BeforeAll
  static void database() {
    url = TestInfra.newMigratedDatabase();
    workers = new Workers(url, 5);
  }

  @AfterAll
  static void close() {
    workers.close();
  }

  private static boolean hasStatus(UUID id, String status) {
    return status.equals(workers.find(id).status());
  }

  @Test
  @DisplayName("start a queued job at once on its notification, without waiting for a poll")
  void notified() {
    Set<UUID> ran = ConcurrentHashMap.newKeySet();
    String worker = workers.deploy(new JobHandlers(4).register("notified", job -> {
      ran.add(job.id());
      return Future.succeededFuture();
    }), Workers.config(600_000, 60, 5, 1000, 10_000));
    try {
      long start = System.nanoTime();
      UUID id = workers.queue.enqueue("notified", new JsonObject().put("n", 1)).await();
      Await.until(WAIT, () -> ran.contains(id), "the notified job to run");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      Await.until(WAIT, () -> hasStatus(id, Job.DONE), "the job to be recorded done");
      Job done = workers.find(id);
      assertThat(done.attempts()).isEqualTo(1);
      assertThat(done.finishedAt()).isNotNull();
      assertThat(done.leaseUntil()).isNull();
      assertThat(workers.registry.find("sextant.jobs.duration").tag("kind", "notified").timer().count())
          .isEqualTo(1);
    } finally {
      workers.undeploy(worker);
    }
  }

  @Test
  @DisplayName("retry a failing job with growing delays, then keep it dead with its last error")
  void retriesThenDead() {
    List<Long> runs = new CopyOnWriteArrayList<>();
    String worker = workers.deploy(new JobHandlers(4).register("failing", job -> {
      runs.add(System.nanoTime());
      return Future.failedFuture("boom " + job.attempts());
    }), Workers.config(20, 60, 3, 200, 10_000));
    try {
      UUID id = workers.queue.enqueue("failing", new JsonObject(), null, 0, 3).await();
      Await.until(WAIT, () -> hasStatus(id, Job.DEAD), "the job to be dead");
      Job dead = workers.find(id);
      assertThat(dead.attempts()).isEqualTo(3);
      assertThat(dead.lastError()).isEqualTo("boom 3");
      assertThat(dead.finishedAt()).isNotNull();
      assertThat(runs).hasSize(3);
      // retry n waits at least half of 200 ms × 2^(n-1); a poll only adds to it
      assertThat(Duration.ofNanos(runs.get(1) - runs.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
      assertThat(Duration.ofNanos(runs.get(2) - runs.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThat(workers.registry.counter("sextant.jobs.failed", "kind", "failing").count()).isEqualTo(3);
    } finally {
      workers.undeploy(worker);
    }
  }

  @Test
  @DisplayName("wait between half of and all of base × 2^(attempt-1) before a retry, so delays grow")
  void backoffGrows() {
    JobWorkerVerticle verticle = new JobWorkerVerticle(workers.queue, new JobHandlers(1),
        Workers.config(1000, 60, 5, 100, 1000), workers.registry, null);
    for (int attempt = 1; attempt <= 6; attempt++) {
      long full = 100L << (attempt - 1);
      for (int i = 0; i < 50; i++) {
        assertThat(verticle.backoffMs(attempt)).isBetween(full / 2, full);
      }
    }
  }

  @Test
  @DisplayName("cut off a job that hangs at the time limit, count it failed and run the next in its slot")
  void timeLimit() {
    Set<UUID> completed = ConcurrentHashMap.newKeySet();
    String worker = workers.deploy(new JobHandlers(4).register("hanging", job -> {
      if (job.payload().getBoolean("hang", false)) {
        return Promise.<Void>promise().future();
      }
      completed.add(job.id());
      return Future.succeededFuture();
    }, 1), Workers.config(50, 60, 1, 100, 300));
    try {
      UUID hung = workers.queue.enqueue("hanging", new JsonObject().put("hang", true), null, 0, 1).await();
      Await.until(WAIT, () -> workers.find(hung).attempts() == 1, "the hanging job to start");
      UUID next = workers.queue.enqueue("hanging", new JsonObject()).await();
      Await.until(WAIT, () -> completed.contains(next), "the next job to run in the freed slot");
      Await.until(WAIT, () -> hasStatus(hung, Job.DEAD), "the hung job to be failed for good");
      assertThat(workers.find(hung).lastError()).contains("timed out");
      assertThat(workers.registry.counter("sextant.jobs.failed", "kind", "hanging").count()).isEqualTo(1);
      Await.until(WAIT, () -> hasStatus(next, Job.DONE), "the next job to be recorded done");
    } finally {
      workers.undeploy(worker);
    }
  }

  @Test
  @DisplayName("claim again the job of a worker that died once its lease expires, and run it to completion once")
  void expiredLease() {
    UUID id = workers.queue.enqueue("abandoned", new JsonObject()).await();
    List<Job> claimed = workers.queue.claim("abandoned", 10, 1).await();
    assertThat(claimed).extracting(Job::id).containsExactly(id);
    // the dying worker never answers; while its lease runs, nobody else gets the job
    assertThat(workers.queue.claim("abandoned", 10, 1).await()).isEmpty();

    List<Integer> attempts = new CopyOnWriteArrayList<>();
    String worker = workers.deploy(new JobHandlers(4).register("abandoned", job -> {
      attempts.add(job.attempts());
      return Future.succeededFuture();
    }), Workers.config(100, 60, 5, 100, 10_000));
    try {
      Await.until(WAIT, () -> hasStatus(id, Job.DONE), "the abandoned job to be done");
      assertThat(attempts).containsExactly(2);
      // the dead worker's late answers change nothing
      assertThat(workers.queue.fail(claimed.get(0), "late", 0).await()).isNull();
      workers.queue.complete(claimed).await();
      assertThat(workers.find(id).attempts()).isEqualTo(2);
      assertThat(workers.find(id).status()).isEqualTo(Job.DONE);
    } finally {
      workers.undeploy(worker);
    }
  }

  @Test
  @DisplayName("renew the lease of a job running longer than it, so no other process claims it, until its worker dies")
  void leaseRenewed() {
    Map<UUID, Promise<Void>> holding = new ConcurrentHashMap<>();
    List<String> ranBy = new CopyOnWriteArrayList<>();
    // a one-second lease, renewed every third of it; the time limit is far longer
    JobsConfig config = Workers.config(100, 1, 5, 100, 60_000);
    try (Workers first = new Workers(url, 5); Workers second = new Workers(url, 5)) {
      String firstWorker = first.deploy(new JobHandlers(4).register("long", job -> {
        ranBy.add("first:" + job.attempts());
        Promise<Void> done = Promise.promise();
        holding.put(job.id(), done);
        return done.future();
      }), config);
      UUID id = first.queue.enqueue("long", new JsonObject()).await();
      Await.until(WAIT, () -> holding.containsKey(id), "the first process to start the job");
      OffsetDateTime claimedUntil = first.find(id).leaseUntil();
      JobHandlers secondHandlers = new JobHandlers(4).register("long", job -> {
        ranBy.add("second:" + job.attempts());
        return Future.succeededFuture();
      });
      String secondWorker = second.deploy(secondHandlers, config);
      // three seconds past the first lease's end, renewed all along, and still the first's only
      Await.until(WAIT, () -> first.find(id).leaseUntil().isAfter(claimedUntil.plusSeconds(3)),
          "the lease to be renewed three times over");
      assertThat(ranBy).containsExactly("first:1");
      holding.get(id).complete();
      Await.until(WAIT, () -> hasStatus(id, Job.DONE), "the long job to be recorded done");
      assertThat(workers.find(id).attempts()).isEqualTo(1);
      assertThat(ranBy).containsExactly("first:1");

      // a worker that dies mid-job renews nothing more: the other process takes the job
      second.undeploy(secondWorker);
      UUID orphan = first.queue.enqueue("long", new JsonObject()).await();
      Await.until(WAIT, () -> holding.containsKey(orphan), "the first process to start the next job");
      first.undeploy(firstWorker);
      second.deploy(secondHandlers, config);
      Await.until(WAIT, () -> hasStatus(orphan, Job.DONE), "the other process to run the orphan");
      assertThat(ranBy).containsExactly("first:1", "first:1", "second:2");
    }
  }

  @Test
  @DisplayName("share many jobs between two processes without ever running one in both at once")
  void twoProcesses() {
    int count = 2000;
    Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
    Set<UUID> active = ConcurrentHashMap.newKeySet();
    AtomicBoolean overlap = new AtomicBoolean();
    JobsConfig config = new JobsConfig(true, 200, 60, 5, 100, 10_000, 32, 16, java.time.ZoneOffset.UTC,
        Workers.config(200, 60, 5, 100, 10_000).offPeak(), List.of());
    try (Workers other = new Workers(url, 5)) {
      List<String> deployed = new ArrayList<>();
      for (Workers process : List.of(workers, other)) {
        deployed.add(process.deploy(new JobHandlers(16).register("shared", job -> {
          if (!active.add(job.id())) {
            overlap.set(true);
          }
          runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
          return process.vertx.timer(1).<Void>mapEmpty().onComplete(v -> active.remove(job.id()));
        }), config));
      }
      List<JsonObject> payloads = new ArrayList<>(Collections.nCopies(count, new JsonObject()));
      long start = System.nanoTime();
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < count; i += 500) {
        ids.addAll(workers.queue.enqueueAll("shared", payloads.subList(i, i + 500)).await());
      }
      Await.until(Duration.ofSeconds(60), () -> countDone("shared") == count, "every job to be done");
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("jobs: %d no-op jobs (1 ms each) done by two processes in %.2f s: %.0f jobs/s%n",
          count, seconds, count / seconds);
      assertThat(overlap).isFalse();
      assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(runs.values()).allMatch(n -> n.get() == 1);
      workers.undeploy(deployed.get(0));
      other.undeploy(deployed.get(1));
    }
  }

  @Test
  @DisplayName("report per kind the queued, running and dead jobs and the age of the oldest due one")
  void gauges() {
    try (Workers fresh = new Workers(url, 5)) {
      for (int i = 0; i < 3; i++) {
        fresh.queue.enqueue("metered", new JsonObject()).await();
      }
      fresh.queue.enqueue("metered", new JsonObject(), null, 0, 1).await();
      fresh.queue.claim("metered", 2, 60).await();
      String worker = fresh.deploy(new JobHandlers(1).register("other", job -> Future.succeededFuture()),
          Workers.config(600_000, 60, 5, 100, 1000));
      Await.until(WAIT, () -> fresh.registry.find("sextant.jobs.queued").tag("kind", "metered").gauge() != null,
          "the gauges of the kind");
      assertThat(fresh.registry.get("sextant.jobs.queued").tag("kind", "metered").gauge().value()).isEqualTo(2);
      assertThat(fresh.registry.get("sextant.jobs.running").tag("kind", "metered").gauge().value()).isEqualTo(2);
      assertThat(fresh.registry.get("sextant.jobs.dead").tag("kind", "metered").gauge().value()).isZero();
      assertThat(fresh.registry.get("sextant.jobs.oldest.age").tag("kind", "metered").gauge().value())
          .isGreaterThanOrEqualTo(0);
      fresh.undeploy(worker);
    }
  }

  @Test
  @DisplayName("queue one live job per dedup key, and another once it has finished")
  void dedupKey() {
    UUID first = workers.queue.enqueue("deduped", new JsonObject(), "rollup:1", 0, 5).await();
    assertThat(first).isNotNull();
    assertThat(workers.queue.enqueue("deduped", new JsonObject(), "rollup:1", 0, 5).await()).isNull();
    assertThat(workers.queue.enqueue("deduped", new JsonObject(), "rollup:2", 0, 5).await()).isNotNull();
    List<Job> claimed = workers.queue.claim("deduped", 10, 60).await();
    assertThat(workers.queue.enqueue("deduped", new JsonObject(), "rollup:1", 0, 5).await()).isNull();
    workers.queue.complete(claimed).await();
    assertThat(workers.find(first).status()).isEqualTo(Job.DONE);
    assertThat(workers.queue.enqueue("deduped", new JsonObject(), "rollup:1", 0, 5).await()).isNotNull();
  }

  private static long countDone(String kind) {
    return workers.pool.preparedQuery("SELECT count(*) FROM jobs WHERE kind = $1 AND status = 'done'")
        .execute(io.vertx.sqlclient.Tuple.of(kind)).await().iterator().next().getLong(0);
  }
}
