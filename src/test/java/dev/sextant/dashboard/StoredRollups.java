package dev.sextant.dashboard;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.sextant.rollups.LatencySketch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The roll-up rows stored for a project, as text to compare two states of them. */
final class StoredRollups {

  private StoredRollups() {}

  /**
   * Every roll-up row of the project, in key order: its key, its figures (cost to 9 places) and
   * its sketch's count and some quantiles.
   */
  static List<String> rows(Connection conn, String project) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (PreparedStatement st = conn.prepareStatement("""
        SELECT 'traces', bucket_seconds, bucket, dimension, key, traces, errors, input_tokens,
               output_tokens, round(cost::numeric, 9), latency
          FROM rollup_traces WHERE project_id = ?::uuid
        UNION ALL
        SELECT 'models', bucket_seconds, bucket, NULL, model, spans, errors, input_tokens,
               output_tokens, round(cost::numeric, 9), latency
          FROM rollup_models WHERE project_id = ?::uuid
        ORDER BY 1, 2, 3, 4, 5""")) {
      st.setString(1, project);
      st.setString(2, project);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int c = 1; c <= 10; c++) {
            row.append(rs.getString(c)).append(' ');
          }
          DDSketch sketch = LatencySketch.empty();
          LatencySketch.mergeInto(sketch, rs.getBytes(11));
          rows.add(row.append(sketch.getCount()).append(' ')
              .append(LatencySketch.quantile(sketch, 0.25)).append(' ')
              .append(LatencySketch.quantile(sketch, 0.5)).append(' ')
              .append(LatencySketch.quantile(sketch, 0.99)).toString());
        }
      }
    }
    return rows;
  }
}
