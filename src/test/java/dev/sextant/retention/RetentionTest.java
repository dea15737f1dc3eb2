package dev.sextant.retention;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.score;
import static dev.sextant.support.Batches.span;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Retention")
class RetentionTest {

  /**
   * Off-peak all day, so the heavy kind runs now; two traces per statement and no time budget, so
   * every run deletes one batch and queues a follow-up for the rest.
   */
  @RegisterExtension
  static final ServerExtension extension = ServerExtension.withEnv(Map.of(
      "SEXTANT_JOBS_OFF_PEAK_START", "00:00",
      "SEXTANT_JOBS_OFF_PEAK_END", "00:00",
      "SEXTANT_JOBS_POLL_INTERVAL_MS", "200",
      "SEXTANT_RETENTION_BATCH_TRACES", "2",
      "SEXTANT_RETENTION_TIME_BUDGET_MS", "0"));

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Injected private static TestServer server;
  @Injected private static ApiClient api;

  /** A project keeping {@code days} days, and an API key of it. */
  private static String projectKey(int days) {
    String session = api.newSession();
    Response created = api.post("/api/v1/projects", session,
        new JsonObject().put("name", "kept " + days + " days").put("retention_days", days));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return api.newApiKey(session, created.json().getString("id"));
  }

  /** Ingests a trace started at {@code start} with three spans and two scores; its id. */
  private static String traceAt(String key, Instant start) {
    String t = "t-" + UUID.randomUUID();
    JsonObject body = batch(
        trace(new JsonObject().put("id", t).put("name", "aged").put("start_time", start.toString())),
        span(new JsonObject().put("id", "a").put("trace_id", t).put("start_time", start.toString())),
        span(new JsonObject().put("id", "b").put("trace_id", t).put("parent_id", "a")),
        span(new JsonObject().put("id", "c").put("trace_id", t).put("parent_id", "a")),
        score(new JsonObject().put("id", t + "-s1").put("trace_id", t).put("name", "q").put("value", 1)),
        score(new JsonObject().put("id", t + "-s2").put("trace_id", t).put("name", "r").put("value", 0)));
    Response r = api.post("/api/v1/ingest", key, body);
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    return t;
  }

  private static Instant daysAgo(int days, Duration plus) {
    return Instant.now().minus(Duration.ofDays(days)).plus(plus);
  }

  @Test
  @DisplayName("remove, from a queued job through the worker, exactly the traces older than each project's retention, with their spans and scores")
  void removesExactlyTheExpired() throws SQLException {
    String week = projectKey(7);
    String month = projectKey(30);
    Duration hour = Duration.ofHours(1);
    List<String> weekKept = List.of(traceAt(week, daysAgo(7, hour)), traceAt(week, Instant.now()));
    List<String> weekGone = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      weekGone.add(traceAt(week, daysAgo(7, hour.negated().minusMinutes(i))));
    }
    weekGone.add(traceAt(week, daysAgo(400, Duration.ZERO)));
    List<String> monthKept = List.of(traceAt(month, daysAgo(30, hour)), traceAt(month, daysAgo(8, hour)));
    List<String> monthGone = List.of(traceAt(month, daysAgo(30, hour.negated())),
        traceAt(month, daysAgo(31, Duration.ZERO)), traceAt(month, daysAgo(90, Duration.ZERO)));
    // cached before the retention run: the run must retire it
    assertThat(api.get("/api/v1/traces/" + weekGone.get(0), week).status()).isEqualTo(200);

    UUID job = enqueueRetention();
    Await.until(WAIT, () -> "done".equals(status(job)) && liveRetentionJobs() == 0,
        "the retention job and its follow-ups to finish");

    assertThat(traceIds(week)).containsExactlyInAnyOrderElementsOf(weekKept);
    assertThat(traceIds(month)).containsExactlyInAnyOrderElementsOf(monthKept);
    List<String> kept = new ArrayList<>(weekKept);
    kept.addAll(monthKept);
    // spans and scores of every kept trace are whole; none of a removed trace is left
    assertThat(count("SELECT count(*) FROM spans WHERE trace_id = ANY(?)", kept)).isEqualTo(3L * kept.size());
    assertThat(count("SELECT count(*) FROM scores WHERE trace_id = ANY(?)", kept)).isEqualTo(2L * kept.size());
    List<String> gone = new ArrayList<>(weekGone);
    gone.addAll(monthGone);
    assertThat(count("SELECT count(*) FROM traces WHERE id = ANY(?)", gone)).isZero();
    assertThat(count("SELECT count(*) FROM spans WHERE trace_id = ANY(?)", gone)).isZero();
    assertThat(count("SELECT count(*) FROM scores WHERE trace_id = ANY(?)", gone)).isZero();

    assertThat(api.get("/api/v1/traces/" + weekGone.get(0), week).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/traces/" + weekKept.get(0), week).status()).isEqualTo(200);
    // 9 expired traces, 2 per statement: the first run and its follow-ups, each a job of its own
    assertThat(count("SELECT count(*) FROM jobs WHERE kind = 'retention' AND status = 'done'", List.of()))
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  @DisplayName("make the dashboard stop counting the traces it removed, and remove their roll-up rows")
  void dashboardForgetsTheExpired() throws SQLException {
    String day = projectKey(1);
    traceAt(day, daysAgo(2, Duration.ZERO));
    traceAt(day, daysAgo(3, Duration.ZERO));
    traceAt(day, Instant.now());
    Await.until(WAIT, () -> dashboardTraces(day) == 3, "the dashboard to count the three traces");
    UUID project = UUID.fromString(api.get("/api/v1/project", day).json().getString("id"));
    assertThat(rollupRowsBefore(project, daysAgo(1, Duration.ZERO))).isPositive();

    UUID job = enqueueRetention();
    Await.until(WAIT, () -> "done".equals(status(job)) && liveRetentionJobs() == 0,
        "the retention job and its follow-ups to finish");
    Await.until(WAIT, () -> dashboardTraces(day) == 1, "the dashboard to forget the two expired traces");
    Await.until(WAIT, () -> rollupRowsBefore(project, daysAgo(1, Duration.ZERO)) == 0,
        "the roll-up rows of the expired traces to go");
  }

  /**
   * The project's roll-up rows of buckets starting before {@code time}, over every roll-up table
   * (each table named rollup_* with a bucket column), so a roll-up added later is held to it too.
   */
  private static long rollupRowsBefore(UUID project, Instant time) {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        Statement tables = conn.createStatement();
        ResultSet names = tables.executeQuery("""
            SELECT table_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name LIKE 'rollup\\_%'
               AND column_name = 'bucket'""")) {
      long rows = 0;
      while (names.next()) {
        try (PreparedStatement st = conn.prepareStatement("SELECT count(*) FROM " + names.getString(1)
            + " WHERE project_id = ? AND bucket < ?")) {
          st.setObject(1, project);
          st.setObject(2, Timestamp.from(time));
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            rows += rs.getLong(1);
          }
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long dashboardTraces(String key) {
    Response r = api.get("/api/v1/dashboard?window=7d", key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonObject("totals").getLong("traces");
  }

  @Test
  @DisplayName("finish at once when nothing is expired, queueing no follow-up")
  void nothingExpired() throws SQLException {
    Await.until(WAIT, () -> liveRetentionJobs() == 0, "earlier retention jobs to finish");
    String key = projectKey(1);
    String fresh = traceAt(key, Instant.now().minus(Duration.ofHours(23)));
    long before = count("SELECT count(*) FROM jobs WHERE kind = 'retention'", List.of());
    UUID job = enqueueRetention();
    Await.until(WAIT, () -> "done".equals(status(job)), "the retention job to finish");
    assertThat(traceIds(key)).containsExactly(fresh);
    assertThat(count("SELECT count(*) FROM jobs WHERE kind = 'retention'", List.of())).isEqualTo(before + 1);
  }

  private static UUID enqueueRetention() throws SQLException {
    UUID id = UUID.randomUUID();
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement insert = conn.prepareStatement("""
            INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
            VALUES (?, 'retention', '{}', 'queued', 0, 5, now(), now(), now())""");
        Statement notify = conn.createStatement()) {
      insert.setObject(1, id);
      insert.executeUpdate();
      notify.execute("NOTIFY sextant_jobs, 'retention'");
    }
    return id;
  }

  private static String status(UUID job) {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
      st.setObject(1, job);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long liveRetentionJobs() {
    try {
      return count("SELECT count(*) FROM jobs WHERE kind = 'retention'"
          + " AND status IN ('queued', 'running', 'failed')", List.of());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> traceIds(String key) {
    Response r = api.get("/api/v1/traces?limit=100", key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.data().stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static long count(String sql, List<String> ids) throws SQLException {
    try (Connection conn = TestInfra.jdbc(server.databaseUrl());
        PreparedStatement st = conn.prepareStatement(sql)) {
      if (sql.contains("?")) {
        st.setArray(1, conn.createArrayOf("text", ids.toArray()));
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
