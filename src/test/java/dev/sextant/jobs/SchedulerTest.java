package dev.sextant.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.JobsConfig;
import dev.sextant.config.SextantConfig.Schedule;
import dev.sextant.jobs.JobQueue.ScheduledOutcome;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Scheduled jobs")
class SchedulerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static Workers workers;
  private static Workers other;

  @BeforeAll
  static void database() {
    String url = TestInfra.newMigratedDatabase();
    workers = new Workers(url, 5);
    other = new Workers(url, 5);
  }

  @AfterAll
  static void close() {
    other.close();
    workers.close();
  }

  private static JobsConfig config(long pollMs, Schedule... schedules) {
    JobsConfig base = Workers.config(pollMs, 60, 5, 100, 10_000);
    return new JobsConfig(true, pollMs, 60, 5, 100, 10_000, 32, 4, base.timeZone(), base.offPeak(),
        List.of(schedules));
  }

  @Test
  @DisplayName("queue a scheduled kind once per due time while the schedulers of two processes race over it")
  void oncePerDueTime() {
    JobsConfig config = config(1000, new Schedule("raced", "* * * * *", false));
    MovableClock clock = new MovableClock(Instant.parse("2026-12-02T10:00:00Z"));
    List<Scheduler> schedulers = new ArrayList<>();
    for (Workers process : List.of(workers, other)) {
      for (int i = 0; i < 3; i++) {
        schedulers.add(new Scheduler(process.queue, config, clock));
      }
    }
    Instant first = Instant.parse("2026-12-02T10:00:00Z");
    for (int minute = 0; minute < 15; minute++) {
      Instant due = first.plusSeconds(60L * minute);
      clock.set(due.plusSeconds(minute % 3 * 20)); // at, 20 s after and 40 s after the due time
      List<Future<Map<String, ScheduledOutcome>>> ticks = new ArrayList<>();
      schedulers.forEach(s -> ticks.add(s.tick()));
      Future.all(ticks).await();
      List<ScheduledOutcome> outcomes = ticks.stream().map(t -> t.result().get("raced")).toList();
      assertThat(outcomes).as("due at %s", due).containsOnly(ScheduledOutcome.QUEUED, ScheduledOutcome.TAKEN)
          .filteredOn(o -> o == ScheduledOutcome.QUEUED).hasSize(1);
      List<Job> claimed = workers.queue.claim("raced", 10, 60).await();
      assertThat(claimed).extracting(job -> job.payload().getString("due_at"))
          .containsExactly(due.atOffset(java.time.ZoneOffset.UTC).toString());
      workers.queue.complete(claimed).await();
      // ticks later within the same minute ask nothing of the database and queue nothing
      schedulers.forEach(s -> assertThat(s.tick().await()).isEmpty());
    }
    assertThat(jobsOf("raced")).hasSize(15);
  }

  @Test
  @DisplayName("after every instance was down over several due times, queue only the latest one")
  void onlyTheLatestMissed() {
    JobsConfig config = config(1000, new Schedule("hourly", "0 * * * *", true));
    MovableClock clock = new MovableClock(Instant.parse("2026-12-02T10:00:05Z"));
    assertThat(new Scheduler(workers.queue, config, clock).tick().await())
        .isEqualTo(Map.of("hourly", ScheduledOutcome.QUEUED));
    workers.queue.complete(workers.queue.claim("hourly", 10, 60).await()).await();

    // every instance down from 10:01 to 15:30: five due times missed
    clock.set(Instant.parse("2026-12-02T15:30:00Z"));
    Scheduler restarted = new Scheduler(other.queue, config, clock);
    assertThat(restarted.tick().await()).isEqualTo(Map.of("hourly", ScheduledOutcome.QUEUED));
    assertThat(new Scheduler(workers.queue, config, clock).tick().await())
        .isEqualTo(Map.of("hourly", ScheduledOutcome.TAKEN));
    assertThat(restarted.tick().await()).isEmpty();

    assertThat(jobsOf("hourly")).extracting(job -> job.payload().getString("due_at"))
        .containsExactlyInAnyOrder("2026-12-02T10:00Z", "2026-12-02T15:00Z");
    assertThat(recordedRuns("hourly")).containsExactly(
        OffsetDateTime.parse("2026-12-02T10:00Z"), OffsetDateTime.parse("2026-12-02T15:00Z"));
  }

  @Test
  @DisplayName("queue no second job of a kind while one still waits, and the next due time once it has run")
  void waitingJobCoversTheNext() {
    JobsConfig config = config(1000, new Schedule("covered", "*/5 * * * *", false));
    MovableClock clock = new MovableClock(Instant.parse("2026-12-02T10:00:00Z"));
    Scheduler scheduler = new Scheduler(workers.queue, config, clock);
    assertThat(scheduler.tick().await()).isEqualTo(Map.of("covered", ScheduledOutcome.QUEUED));
    clock.set(Instant.parse("2026-12-02T10:05:00Z"));
    assertThat(scheduler.tick().await()).isEqualTo(Map.of("covered", ScheduledOutcome.COVERED));
    assertThat(jobsOf("covered")).hasSize(1);
    workers.queue.complete(workers.queue.claim("covered", 10, 60).await()).await();
    clock.set(Instant.parse("2026-12-02T10:10:00Z"));
    assertThat(scheduler.tick().await()).isEqualTo(Map.of("covered", ScheduledOutcome.QUEUED));
    assertThat(jobsOf("covered")).hasSize(2);
  }

  @Test
  @DisplayName("claim a heavy kind only inside the off-peak window, and a light one at any time")
  void offPeakWindow() {
    JobsConfig config = config(20, new Schedule("heavy_kind", "0 3 * * *", true),
        new Schedule("light_kind", "* * * * *", false));
    MovableClock clock = new MovableClock(Instant.parse("2026-12-02T14:00:00Z"));
    Set<UUID> ran = ConcurrentHashMap.newKeySet();
    JobHandlers handlers = new JobHandlers(4)
        .register("heavy_kind", job -> {
          ran.add(job.id());
          return Future.succeededFuture();
        })
        .register("light_kind", job -> {
          ran.add(job.id());
          return Future.succeededFuture();
        });
    String worker = workers.vertx.deployVerticle(new JobWorkerVerticle(workers.queue, handlers,
        config, workers.registry, dev.sextant.db.Database.connectOptions(workers.url()), clock)).await();
    try {
      UUID heavy = workers.queue.enqueue("heavy_kind", new JsonObject()).await();
      UUID light = workers.queue.enqueue("light_kind", new JsonObject()).await();
      Await.until(WAIT, () -> Job.DONE.equals(workers.find(light).status()), "the light job to run at 14:00");
      // an absence can only be watched for a while: a dozen polls of the worker
      workers.vertx.timer(250).await();
      assertThat(ran).containsExactly(light);
      assertThat(workers.find(heavy).status()).isEqualTo(Job.QUEUED);
      assertThat(workers.find(heavy).attempts()).isZero();

      clock.set(Instant.parse("2026-12-03T03:00:00Z"));
      Await.until(WAIT, () -> Job.DONE.equals(workers.find(heavy).status()), "the heavy job to run at 03:00");
      assertThat(ran).containsExactlyInAnyOrder(light, heavy);
    } finally {
      workers.undeploy(worker);
    }
  }

  @Test
  @DisplayName("two running instances queue each scheduled kind once per due time")
  void wiredInEveryInstance() throws Exception {
    try (TestServer first = TestServer.start(); TestServer second = first.sibling()) {
      Await.until(WAIT, () -> count(first, "SELECT count(*) FROM job_schedule_runs"
          + " WHERE kind IN ('retention', 'dashboard_rollup')") >= 2, "both kinds to be scheduled");
      assertThat(count(second, "SELECT count(*) FROM jobs WHERE kind = 'retention'")).isEqualTo(1);
      // dashboard_rollup has a handler: its job runs, and a later minute may queue the next one
      Await.until(WAIT, () -> count(second, "SELECT count(*) FROM jobs WHERE kind = 'dashboard_rollup'"
          + " AND status <> 'done'") == 0, "the dashboard_rollup job to run");
      assertThat(count(second, "SELECT count(*) FROM jobs WHERE kind = 'dashboard_rollup'"))
          .isEqualTo(count(second, "SELECT count(*) FROM job_schedule_runs WHERE kind = 'dashboard_rollup'"));
    }
  }

  private static long count(TestServer server, String sql) {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl()); Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Job> jobsOf(String kind) {
    List<Job> jobs = new ArrayList<>();
    for (Row row : workers.pool.preparedQuery("SELECT id FROM jobs WHERE kind = $1")
        .execute(Tuple.of(kind)).await()) {
      jobs.add(workers.find(row.getUUID(0)));
    }
    return jobs;
  }

  private static List<OffsetDateTime> recordedRuns(String kind) {
    List<OffsetDateTime> runs = new ArrayList<>();
    for (Row row : workers.pool.preparedQuery(
        "SELECT due_at FROM job_schedule_runs WHERE kind = $1 ORDER BY due_at")
        .execute(Tuple.of(kind)).await()) {
      runs.add(row.getOffsetDateTime(0));
    }
    return runs;
  }
}
