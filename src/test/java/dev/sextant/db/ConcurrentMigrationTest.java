package dev.sextant.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three instances starting at the same moment against one empty database, as Flyway runs in three
 * threads released together: the schema is migrated once, nobody fails and nobody waits forever.
 * The deadline only turns a deadlock into a failure; it says nothing about speed.
 */
@DisplayName("Migrations run by three instances at once")
class ConcurrentMigrationTest {

  private static final int INSTANCES = 3;
  private static final long DEADLOCK_MINUTES = 3;

  private static List<Integer> migrateTogether(String url, String... locations) throws Exception {
    CyclicBarrier start = new CyclicBarrier(INSTANCES);
    ExecutorService threads = Executors.newFixedThreadPool(INSTANCES);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        runs.add(threads.submit(() -> {
          start.await();
          return Migrations.migrate(url, locations);
        }));
      }
      List<Integer> applied = new ArrayList<>();
      for (Future<Integer> run : runs) {
        applied.add(run.get(DEADLOCK_MINUTES, TimeUnit.MINUTES));
      }
      return applied;
    } finally {
      threads.shutdownNow();
    }
  }

  private static List<String> history(String url) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement();
         ResultSet rows = st.executeQuery(
             "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
      while (rows.next()) {
        assertThat(rows.getBoolean("success")).as("migration " + rows.getString("version")).isTrue();
        versions.add(rows.getString("version"));
      }
    }
    return versions;
  }

  private static long shippedMigrations() throws Exception {
    try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return files.filter(f -> f.getFileName().toString().matches("V[0-9_]+__.*\\.sql")).count();
    }
  }

  @Test
  @DisplayName("apply every migration exactly once, in one of the three, without an error")
  void migratedOnce() throws Exception {
    String url = TestInfra.newDatabase();
    List<Integer> applied = migrateTogether(url, "classpath:db/migration");
    long shipped = shippedMigrations();
    assertThat(applied).containsOnly(0, (int) shipped);
    assertThat(applied.stream().filter(n -> n > 0)).hasSize(1);
    List<String> versions = history(url);
    assertThat(versions).hasSize((int) shipped).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("apply a migration that cannot run in a transaction (CREATE INDEX CONCURRENTLY) without a deadlock")
  void nonTransactionalMigrationDoesNotDeadlock() throws Exception {
    String url = TestInfra.newDatabase();
    List<Integer> applied = migrateTogether(url, "classpath:db/migration", "classpath:db/concurrent-test");
    assertThat(applied.stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) shippedMigrations() + 1);
    assertThat(history(url)).contains("10.1").doesNotHaveDuplicates();
  }
}
