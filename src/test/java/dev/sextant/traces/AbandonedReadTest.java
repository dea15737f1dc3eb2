package dev.sextant.traces;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A read whose client went away")
class AbandonedReadTest {

  /** Statements of the server's waiting for a lock on traces: the list read held up by the test. */
  private static int waitingReads(Connection observer) throws SQLException {
    try (Statement st = observer.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            + " AND state = 'active' AND wait_event_type = 'Lock' AND query ILIKE '%FROM traces%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean waiting(Connection observer, boolean expected) {
    try {
      return (waitingReads(observer) > 0) == expected;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("is cancelled in PostgreSQL at once, not left running until the statement timeout")
  void cancelledWhenTheClientLeaves() throws Exception {
    // far beyond the wait below: only a cancel can end the read in time
    try (TestServer server = TestServer.start(Map.of("SEXTANT_DATABASE_STATEMENT_TIMEOUT_MS", "600000"));
        Connection locker = TestInfra.jdbc(server.databaseUrl());
        Connection observer = TestInfra.jdbc(server.databaseUrl())) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", "t1"))));

      locker.setAutoCommit(false);
      try (Statement lock = locker.createStatement()) {
        // every read of traces now waits for this transaction: a read as slow as the test wants
        lock.execute("LOCK TABLE traces IN ACCESS EXCLUSIVE MODE");
        try (Socket client = new Socket("127.0.0.1", server.port())) {
          OutputStream out = client.getOutputStream();
          out.write(("GET /api/v1/traces HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
              + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          Await.until(Duration.ofSeconds(30), () -> waiting(observer, true), "the read to reach PostgreSQL");
        }
        // the client has gone; the lock is still held, so only a cancel ends the read
        Await.until(Duration.ofSeconds(20), () -> waiting(observer, false), "the read to be cancelled");
      } finally {
        locker.rollback();
      }
      assertThat(api.get("/api/v1/traces", key).data()).hasSize(1);
    }
  }
}
