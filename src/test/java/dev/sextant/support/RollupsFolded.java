package dev.sextant.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** Waits until the roll-ups hold every write acknowledged so far. */
public final class RollupsFolded {

  private static final String LEFT = """
      SELECT (SELECT count(*) FROM rollup_dirty WHERE project_id = ?::uuid)
           + (SELECT count(*) FROM rollup_pending WHERE project_id = ?::uuid)
           + (SELECT count(*) FROM rollup_trace_deltas WHERE project_id = ?::uuid)
           + (SELECT count(*) FROM rollup_span_deltas WHERE project_id = ?::uuid)
           + (SELECT count(*) FROM jobs WHERE kind = 'dashboard_rollup' AND status = 'running')""";

  private RollupsFolded() {}

  /**
   * Waits until no mark or delta of the project is left and no roll-up pass is running (a pass
   * retires the cached answers of the projects it folded after its commit).
   */
  public static void await(String databaseUrl, String projectId) {
    Await.until(Duration.ofSeconds(60), () -> left(databaseUrl, projectId) == 0,
        "the roll-ups of " + projectId + " to take every write in");
  }

  private static long left(String databaseUrl, String projectId) {
    try (Connection conn = TestInfra.jdbc(databaseUrl);
        PreparedStatement st = conn.prepareStatement(LEFT)) {
      for (int i = 1; i <= 4; i++) {
        st.setString(i, projectId);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
