package dev.sextant.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import dev.sextant.support.Await;
import dev.sextant.support.PlanFixture;
import dev.sextant.support.TestInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link TableMaintenance} on a new database whose traces and spans have autovacuum turned off
 * (as a server with {@code autovacuum = off} has for every table), so that nothing but the
 * maintenance analyzes or vacuums them while the test looks.
 */
@DisplayName("Table maintenance")
class TableMaintenanceTest {

  private static final String LOOKUP = "SELECT id FROM spans WHERE project_id = $1 AND trace_id = ANY($2)";

  private Vertx vertx;
  private Pool pool;
  private String url;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void start() throws SQLException {
    vertx = Vertx.vertx();
    url = TestInfra.newMigratedDatabase();
    sql("ALTER TABLE traces SET (autovacuum_enabled = false)",
        "ALTER TABLE spans SET (autovacuum_enabled = false)");
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      PlanFixture.insertProjects(st, 1);
    }
    pool = Database.createPool(vertx, new DatabaseConfig(url, 2, 16, 64, 5_000, 30_000, 0));
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("analyzes a table that grew, so that a generic plan made while it was empty is replaced by one through its key")
  void replacesPlansMadeOnEmptyTables() throws Exception {
    try (Connection session = TestInfra.jdbc(url); Statement st = session.createStatement()) {
      st.execute("SET plan_cache_mode = force_generic_plan");
      st.execute("PREPARE lookup(uuid, text[]) AS " + LOOKUP);
      String empty = plan(st);
      insertTraces(20_000, 5);
      awaitStat("spans", "n_mod_since_analyze", 100_000);

      List<String> ran = runOnce();

      // spans and traces have autovacuum off, so their new rows are vacuumed too
      assertThat(ran).contains("VACUUM (ANALYZE) public.spans", "VACUUM (ANALYZE) public.traces");
      assertThat(analyzed("spans")).isTrue();
      // the same prepared statement in the same session: PostgreSQL planned it anew
      assertThat(plan(st)).as("plan after the maintenance (before, on the empty table: %s)", empty)
          .contains("spans_pkey").doesNotContain("Seq Scan");
    }
  }

  @Test
  @DisplayName("applies autovacuum's thresholds: nothing below them, an analysis alone for changes that leave few dead rows")
  void appliesAutovacuumThresholds() throws Exception {
    insertTraces(2_000, 2);
    awaitStat("traces", "n_mod_since_analyze", 2_000);
    assertThat(runOnce()).anyMatch(statement -> statement.endsWith("public.traces"));
    awaitStat("traces", "n_mod_since_analyze", 0);

    // traces are analyzed after 2 % of their rows (V5) plus autovacuum's 50: 90 rows here
    insertTracesFrom(10_000, 20, 1);
    awaitStat("traces", "n_mod_since_analyze", 20);

    assertThat(runOnce()).noneMatch(statement -> statement.endsWith("public.traces"));

    // 200 updated rows pass the analysis threshold but leave fewer dead rows than vacuum's
    // (50 + 20 %): analyzed, not vacuumed
    sql("UPDATE traces SET name = 'renamed' WHERE id IN (SELECT 't' || t FROM generate_series(1, 200) t)");
    awaitStat("traces", "n_mod_since_analyze", 220);
    assertThat(runOnce()).filteredOn(statement -> statement.endsWith("public.traces"))
        .containsExactly("ANALYZE public.traces");
  }

  @Test
  @DisplayName("vacuums a table with many dead rows where autovacuum is off for it, and leaves vacuuming to autovacuum elsewhere")
  void vacuumsOnlyWhereAutovacuumIsOff() throws Exception {
    sql("ALTER TABLE traces RESET (autovacuum_enabled)");
    insertTraces(5_000, 1);
    awaitStat("spans", "n_ins_since_vacuum", 5_000);
    runOnce();
    sql("DELETE FROM spans", "DELETE FROM traces");
    awaitStat("spans", "n_dead_tup", 5_000);
    double vacuumsBefore = registry.counter("sextant.db.maintenance", "action", "vacuum").count();

    List<String> ran = runOnce();

    assertThat(ran).contains("VACUUM (ANALYZE) public.spans");
    assertThat(registry.counter("sextant.db.maintenance", "action", "vacuum").count())
        .isGreaterThan(vacuumsBefore);
    boolean serverAutovacuum = queryLong("SELECT current_setting('autovacuum')::boolean::int") == 1;
    // traces have autovacuum on again, unless the server has it off for every table
    assertThat(ran.stream().anyMatch(statement -> statement.equals("VACUUM (ANALYZE) public.traces")))
        .as("traces vacuumed, %s", ran).isEqualTo(!serverAutovacuum);
  }

  @Test
  @DisplayName("lets one instance at a time work: another that finds the lock taken skips its round")
  void oneAtATime() throws Exception {
    insertTraces(2_000, 1);
    try (Connection other = TestInfra.jdbc(url); Statement st = other.createStatement()) {
      st.execute(TableMaintenance.TRY_LOCK);
      assertThat(runOnce()).isEmpty();
      st.execute(TableMaintenance.UNLOCK);
    }
    assertThat(runOnce()).contains("VACUUM (ANALYZE) public.spans");
  }

  private List<String> runOnce() throws Exception {
    return new TableMaintenance(pool, 0, registry).runOnce().await(60, TimeUnit.SECONDS);
  }

  private void insertTraces(int traces, int spansEach) throws SQLException {
    insertTracesFrom(0, traces, spansEach);
  }

  private void insertTracesFrom(int first, int traces, int spansEach) throws SQLException {
    sql("""
        INSERT INTO traces (project_id, id, name, start_time, sort_time)
        SELECT '%1$s', 't' || t, 'name', now(), now() FROM generate_series(%2$d, %3$d) t
        """.formatted(PlanFixture.PROJECT, first + 1, first + traces), """
        INSERT INTO spans (project_id, trace_id, id, name, kind, start_time, end_time, model)
        SELECT '%1$s', 't' || t, 's' || s, 'span', 'llm', now(), now(), 'm' || s %% 3
          FROM generate_series(%2$d, %3$d) t CROSS JOIN generate_series(1, %4$d) s
        """.formatted(PlanFixture.PROJECT, first + 1, first + traces, spansEach));
  }

  private String plan(Statement st) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rows = st.executeQuery(
        "EXPLAIN EXECUTE lookup('" + PlanFixture.PROJECT + "', '{t1,t2}')")) {
      while (rows.next()) {
        plan.append(rows.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  private boolean analyzed(String table) throws SQLException {
    return queryLong("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = '" + table + "'") > 0;
  }

  /** Waits until the statistics show {@code value} as {@code column} of {@code table}: they lag a little. */
  private void awaitStat(String table, String column, long value) {
    Await.until(Duration.ofSeconds(30), () -> {
      try {
        return queryLong("SELECT " + column + " FROM pg_stat_user_tables WHERE relname = '" + table + "'") == value;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, table + "." + column + " = " + value);
  }

  private long queryLong(String query) throws SQLException {
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement();
        ResultSet rows = st.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private void sql(String... statements) throws SQLException {
    try (Connection conn = TestInfra.jdbc(url); Statement st = conn.createStatement()) {
      for (String statement : statements) {
        st.execute(statement);
      }
    }
  }
}
