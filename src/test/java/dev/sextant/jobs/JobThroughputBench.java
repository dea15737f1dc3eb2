package dev.sextant.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.JobsConfig;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark of the job queue, not a test: skipped unless asked for with
 * {@code mvn test -Dtest=JobThroughputBench -Dsextant.bench.jobs=20000} (scripts/bench starts no
 * job kind of its own). It prints, per round, the no-op jobs one process completes per second
 * from a queue filled ahead, and the CPU time they cost.
 */
@EnabledIfSystemProperty(named = "sextant.bench.jobs", matches = "\\d+")
@DisplayName("Job throughput (benchmark)")
class JobThroughputBench {

  @Test
  void noOpJobs() {
    int count = Integer.getInteger("sextant.bench.jobs");
    int claimBatch = Integer.getInteger("sextant.bench.jobs.claim_batch", 32);
    int concurrency = Integer.getInteger("sextant.bench.jobs.concurrency", 64);
    int rounds = Integer.getInteger("sextant.bench.jobs.rounds", 3);
    String url = TestInfra.newMigratedDatabase();
    JobsConfig config = new JobsConfig(true, 1000, 300, 5, 1000, 120_000, claimBatch, concurrency,
        ZoneOffset.UTC, new dev.sextant.config.SextantConfig.OffPeak(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT),
        List.of());
    try (Workers process = new Workers(url, 5)) {
      AtomicInteger ran = new AtomicInteger();
      JobHandlers handlers = new JobHandlers(concurrency).register("noop", job -> {
        ran.incrementAndGet();
        return Future.succeededFuture();
      });
      List<JsonObject> payloads = new ArrayList<>(Collections.nCopies(1000, new JsonObject()));
      for (int round = 1; round <= rounds; round++) {
        long before = countDone(process);
        long queueStart = System.nanoTime();
        for (int i = 0; i < count; i += 1000) {
          process.queue.enqueueAll("noop", payloads.subList(0, Math.min(1000, count - i))).await();
        }
        double queued = (System.nanoTime() - queueStart) / 1e9;
        // the worker starts on a full queue: what is timed is claiming, running and completing
        long start = System.nanoTime();
        long cpuBefore = cpuNanos(process);
        String worker = process.deploy(handlers, config);
        long target = (long) count * round;
        // the counter first (free), then the table (a count over it, polled, would load the run)
        Await.until(Duration.ofMinutes(5), () -> ran.get() >= target, "every job to run");
        Await.until(Duration.ofMinutes(5), () -> countDone(process) - before == count,
            "every job to be recorded done");
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMsPerThousand = (cpuNanos(process) - cpuBefore) / 1e6 / (count / 1000.0);
        process.undeploy(worker);
        System.out.printf("jobs round %d: %d no-op jobs done in %.2f s: %.0f jobs/s; CPU %.0f ms per"
            + " 1 000 jobs (this JVM and the database's backends): %.0f jobs/s on 2 idle cores"
            + " (queued before in %.2f s: %.0f jobs/s; claim_batch %d, concurrency %d)%n", round,
            count, seconds, count / seconds, cpuMsPerThousand, 2000 * 1000 / cpuMsPerThousand,
            queued, count / queued, claimBatch, concurrency);
      }
      assertThat(ran.get()).isGreaterThanOrEqualTo(count * rounds);
    }
  }

  /**
   * CPU time used so far by this JVM and by the PostgreSQL backends of the bench's database (as
   * the operating system reports each process's; PostgreSQL runs on this machine): a figure that
   * other loads of a shared machine do not move the way they move the wall-clock rate. The WAL
   * writer and other background processes of the server are not counted.
   */
  private static long cpuNanos(Workers process) {
    long total = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    for (io.vertx.sqlclient.Row row : process.pool.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()").execute().await()) {
      // a backend that ended between the query and the look-up counts nothing
      total += ProcessHandle.of(row.getInteger(0)).flatMap(p -> p.info().totalCpuDuration())
          .map(Duration::toNanos).orElse(0L);
    }
    return total;
  }

  private static long countDone(Workers process) {
    return process.pool.query("SELECT count(*) FROM jobs WHERE kind = 'noop' AND status = 'done'")
        .execute().await().iterator().next().getLong(0);
  }
}
