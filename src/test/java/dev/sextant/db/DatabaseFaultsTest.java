package dev.sextant.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A database fault")
class DatabaseFaultsTest {

  private static PgException pg(String sqlState) {
    return new PgException("message", "FATAL", sqlState, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"57P01", "57P02", "57P03", "53300", "08000", "08003", "08006", "08001", "08P01"})
  @DisplayName("is the database being away when PostgreSQL says it is shutting down, full, or the connection failed")
  void awayStates(String sqlState) {
    assertThat(DatabaseFaults.isUnavailable(pg(sqlState))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "57014", "42P01", "22P02", "40001"})
  @DisplayName("is not the database being away when the statement itself failed")
  void statementStates(String sqlState) {
    assertThat(DatabaseFaults.isUnavailable(pg(sqlState))).isFalse();
  }

  @Test
  @DisplayName("is the database being away when the connection closed, was refused or is no longer active")
  void lostConnections() {
    assertThat(DatabaseFaults.isUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(DatabaseFaults.isUnavailable(new ConnectException("Connection refused"))).isTrue();
    assertThat(DatabaseFaults.isUnavailable(
        VertxException.noStackTrace("Connection is not active now, current status: CLOSED"))).isTrue();
    assertThat(DatabaseFaults.isUnavailable(VertxException.noStackTrace(
        "Pending requests failed to be sent due to connection has been closed."))).isTrue();
    // writing to a server that has just stopped (seen in DatabaseRestartTest)
    assertThat(DatabaseFaults.isUnavailable(new java.io.IOException("Broken pipe"))).isTrue();
  }

  @Test
  @DisplayName("is found however deep in the causes it sits")
  void wrapped() {
    assertThat(DatabaseFaults.isUnavailable(
        new IllegalStateException("outer", new RuntimeException(pg("57P03"))))).isTrue();
    assertThat(DatabaseFaults.isUnavailable(new IllegalStateException("Connection is not active now")))
        .as("a message alone, on a type that is not the client's, proves nothing").isFalse();
    assertThat(DatabaseFaults.isUnavailable(null)).isFalse();
  }
}
