package dev.sextant.security;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cheap fingerprint of everything requests store: per table, the row count and the newest row
 * version ({@code xmin}), so an insert, update or delete shows without reading the rows' contents.
 * The tables background jobs write on their own schedule (jobs, schedule runs, dashboard roll-ups)
 * are left out: they change whatever a request did.
 */
final class StoredState implements AutoCloseable {

  private static final List<String> BACKGROUND = List.of("jobs", "job_schedule_runs", "flyway_schema_history");

  private final Connection connection;
  private final String query;

  StoredState(String databaseUrl) throws SQLException {
    this.connection = dev.sextant.support.TestInfra.jdbc(databaseUrl);
    List<String> tables = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
      while (rs.next()) {
        String table = rs.getString(1);
        if (!BACKGROUND.contains(table) && !table.startsWith("rollup_")) {
          tables.add(table);
        }
      }
    }
    List<String> parts = new ArrayList<>();
    for (String table : tables) {
      parts.add("SELECT '" + table + "', count(*), coalesce(max(xmin::text::bigint), 0) FROM " + table);
    }
    this.query = String.join(" UNION ALL ", parts);
  }

  /** Table name → "rows@newest version". */
  Map<String, String> read() {
    Map<String, String> state = new TreeMap<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        state.put(rs.getString(1), rs.getLong(2) + "@" + rs.getLong(3));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return state;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
