package dev.sextant.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a database that is away (restarting, shutting down, unreachable, its connections gone)
 * from a statement that is wrong. The first is transient: the request is answered 503 with
 * {@code Retry-After}, and an idempotent read is tried once more on a fresh connection. OTLP
 * exporters retry a 503 but drop the data of a 500, so the difference is whether data is lost.
 */
public final class DatabaseFaults {

  /** admin_shutdown, crash_shutdown, cannot_connect_now (the database is starting or stopping). */
  private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");
  /** too_many_connections: the server is full for now. */
  private static final String TOO_MANY_CONNECTIONS = "53300";
  /** Class 08, connection exception. */
  private static final String CONNECTION_CLASS = "08";
  /**
   * How the SQL client fails work sent on a connection that has closed: a bare VertxException, or
   * the socket's IOException when the server went away mid-write, with no type of its own to test
   * for, so its message is what there is.
   */
  private static final String[] CLOSED_MESSAGES = {
      "connection is not active now",
      "pending requests failed to be sent due to connection has been closed",
      "connection closed",
      "connection reset",
      "broken pipe"};

  private DatabaseFaults() {}

  /** Whether {@code failure}, or anything that caused it, says the database is away for now. */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isUnavailableItself(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnavailableItself(Throwable t) {
    if (t instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (SHUTDOWN_STATES.contains(state) || TOO_MANY_CONNECTIONS.equals(state)
          || state.startsWith(CONNECTION_CLASS));
    }
    if (t instanceof ClosedConnectionException || t instanceof ConnectException
        || t instanceof java.nio.channels.ClosedChannelException) {
      return true;
    }
    String message = t.getMessage();
    if (message == null || !(t instanceof io.vertx.core.VertxException
        || t instanceof java.io.IOException)) {
      return false;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    for (String closed : CLOSED_MESSAGES) {
      if (lower.contains(closed)) {
        return true;
      }
    }
    return false;
  }
}
