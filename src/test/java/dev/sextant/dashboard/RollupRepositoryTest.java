package dev.sextant.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import dev.sextant.db.Database;
import dev.sextant.rollups.RollupDeltas;
import dev.sextant.support.TestInfra;
import dev.sextant.tracemodel.RollupMarks;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The roll-up upkeep's steps, one at a time, on rows written as ingest writes them (new traces
 * with their deltas, late spans with their marks): whatever order the steps run in, the stored
 * roll-ups equal those recomputed from the raw rows.
 */
@DisplayName("The roll-up upkeep")
class RollupRepositoryTest {

  private static final OffsetDateTime MINUTE = OffsetDateTime.parse("2026-11-20T10:15:00Z");

  private static Vertx vertx;
  private static Pool pool;
  private static String url;
  private static RollupRepository rollups;
  private UUID project;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    url = TestInfra.newMigratedDatabase();
    pool = Database.createPool(vertx, new DatabaseConfig(url, 4, 256, 1024, 5000, 0, 0));
    rollups = new RollupRepository(pool);
  }

  @AfterAll
  static void close() {
    pool.close().await();
    vertx.close().await();
  }

  @BeforeEach
  void newProject() {
    project = UUID.randomUUID();
    pool.preparedQuery("INSERT INTO projects (id, name, retention_days) VALUES ($1, 'p', 30)")
        .execute(Tuple.of(project)).await();
  }

  @Test
  @DisplayName("a recompute drops the deltas its snapshot already counts in the raw rows")
  void recomputeDropsCountedDeltas() throws SQLException {
    newTrace("a", 10, 120, "m1");
    lateSpan("a", "late", MINUTE.plusSeconds(20));
    recompute();
    foldDeltas();

    assertThat(stored("SELECT traces FROM rollup_traces WHERE project_id = $1 AND dimension = 'all'"))
        .containsExactly(1L, 1L, 1L);
    assertThat(stored("SELECT sum(spans)::bigint FROM rollup_models WHERE project_id = $1 AND bucket_seconds = 60"))
        .containsExactly(2L);
    assertThat(stored("SELECT count(*) FROM rollup_trace_deltas WHERE project_id = $1")).containsExactly(0L);
    assertEqualToRecomputed();
  }

  @Test
  @DisplayName("deltas add to the minute, hour and day rows already stored")
  void deltasAddToStoredRows() throws SQLException {
    newTrace("b1", 5, 10, "m1");
    foldDeltas();
    newTrace("b2", 65, 2_000, "m2");
    newTrace("b3", 7, 30, null);
    foldDeltas();

    assertThat(stored("""
        SELECT traces FROM rollup_traces WHERE project_id = $1 AND dimension = 'all'
         ORDER BY bucket_seconds, bucket""")).containsExactly(2L, 1L, 3L, 3L);
    assertEqualToRecomputed();
  }

  @Test
  @DisplayName("deltas taken after a recompute of their minute add to it once")
  void deltasAfterARecompute() throws SQLException {
    newTrace("c1", 1, 50, "m1");
    lateSpan("c1", "late", MINUTE.plusSeconds(2));
    recompute();
    newTrace("c2", 3, 70, "m1");
    foldDeltas();

    assertThat(stored("SELECT traces FROM rollup_traces WHERE project_id = $1 AND dimension = 'all'"))
        .containsExactly(2L, 2L, 2L);
    assertEqualToRecomputed();
  }

  /** A trace created with one span, {@code second}s into {@link #MINUTE}, and its deltas. */
  private void newTrace(String id, int second, long latencyMs, String model) {
    OffsetDateTime at = MINUTE.plusSeconds(second);
    OffsetDateTime end = at.plusNanos(latencyMs * 1_000_000);
    RollupDeltas deltas = new RollupDeltas();
    pool.withTransaction(conn -> conn.preparedQuery("""
            INSERT INTO traces (project_id, id, name, user_id, start_time, end_time, span_count,
                                input_tokens, output_tokens, total_cost, span_start, span_end,
                                sort_time)
            VALUES ($1, $2, 'chat', 'u1', $3, $4, 1, 10, 2, 0.25, $3, $4, $3)"""
            + " RETURNING " + RollupDeltas.TRACE_COLUMNS)
        .execute(Tuple.of(project, id, at, end))
        .compose(trace -> {
          deltas.addTrace(trace.iterator().next());
          deltas.addSpan(at, end, model, false, 10L, 2L, 0.25);
          return conn.preparedQuery("""
              INSERT INTO spans (project_id, trace_id, id, start_time, end_time, model, input_tokens,
                                 output_tokens, cost_usd)
              VALUES ($1, $2, 's1', $3, $4, $5, 10, 2, 0.25)""")
              .execute(Tuple.of(project, id, at, end, model));
        })
        .compose(v -> conn.preparedQuery(RollupDeltas.INSERT).execute(deltas.params(project)))).await();
  }

  /** A span of an existing trace, and the mark of its minute. */
  private void lateSpan(String traceId, String id, OffsetDateTime at) {
    pool.withTransaction(conn -> conn.preparedQuery("""
            INSERT INTO spans (project_id, trace_id, id, start_time, end_time, model, input_tokens)
            VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + interval '5 milliseconds', 'm3', 4)""")
        .execute(Tuple.of(project, traceId, id, at))
        .compose(v -> conn.preparedQuery(RollupMarks.statement("SELECT $2::timestamptz"))
            .execute(Tuple.of(project, at)))).await();
  }

  private void recompute() {
    rollups.takeMarks()
        .compose(v -> rollups.withPassLock(conn -> rollups.fold(conn, project, 120)))
        .await();
  }

  private void foldDeltas() {
    rollups.withPassLock(rollups::foldDeltas).await();
  }

  private List<Long> stored(String sql) {
    return pool.preparedQuery(sql).execute(Tuple.of(project)).await().stream()
        .map(row -> row.getLong(0)).toList();
  }

  /** The stored roll-ups equal those recomputed from the raw rows of every minute. */
  private void assertEqualToRecomputed() throws SQLException {
    List<String> kept = storedRows();
    assertThat(kept).isNotEmpty();
    pool.preparedQuery(RollupMarks.statement("""
            SELECT sort_time FROM traces WHERE project_id = $1
            UNION ALL SELECT start_time FROM spans WHERE project_id = $1"""))
        .execute(Tuple.of(project)).await();
    recompute();
    assertThat(kept).containsExactlyElementsOf(storedRows());
  }

  private List<String> storedRows() throws SQLException {
    try (Connection conn = TestInfra.jdbc(url)) {
      return StoredRollups.rows(conn, project.toString());
    }
  }
}
