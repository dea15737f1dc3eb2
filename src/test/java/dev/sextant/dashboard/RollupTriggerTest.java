package dev.sextant.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import dev.sextant.db.Database;
import dev.sextant.jobs.JobQueue;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pass queued after writes waits the pause the last pass's duration calls for. */
@DisplayName("The roll-up trigger")
class RollupTriggerTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Database.createPool(vertx, new DatabaseConfig(TestInfra.newMigratedDatabase(), 4, 256, 1024, 5000, 0, 0));
  }

  @AfterAll
  static void close() {
    pool.close().await();
    vertx.close().await();
  }

  @BeforeEach
  void noJobs() {
    pool.query("DELETE FROM jobs").execute().await();
  }

  /** How long after it was queued the waiting roll-up pass is due; null while none is queued. */
  private static Long queuedPassDueAfterMs() {
    for (Row row : pool.query("""
        SELECT (EXTRACT(EPOCH FROM run_at - created_at) * 1000)::bigint AS due_after
          FROM jobs WHERE kind = 'dashboard_rollup'""").execute().await()) {
      return row.getLong("due_after");
    }
    return null;
  }

  private static long queuedAfterWrite(long pauseMs) {
    new RollupTrigger(vertx, new JobQueue(pool, 3), 10, () -> pauseMs, 3).accept(UUID.randomUUID());
    Await.until(Duration.ofSeconds(20), () -> queuedPassDueAfterMs() != null, "a roll-up pass queued");
    return queuedPassDueAfterMs();
  }

  @Test
  @DisplayName("queue the pass due after the pause, when the last pass called for one")
  void pausesAfterALongPass() {
    assertThat(queuedAfterWrite(60_000)).isBetween(59_000L, 61_000L);
  }

  @Test
  @DisplayName("queue the pass due at once before any pass has run")
  void noPauseBeforeTheFirstPass() {
    assertThat(queuedAfterWrite(0)).isBetween(0L, 1_000L);
  }
}
