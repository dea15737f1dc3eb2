package dev.sextant.db;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads that PostgreSQL stops when nobody waits for them any more. Left alone, a query whose HTTP
 * client went away runs on to its end (or to {@code statement_timeout}), holding a pool connection
 * and a backend for an answer no one will read.
 */
public final class Cancellable {

  private static final Logger log = LoggerFactory.getLogger(Cancellable.class);

  private Cancellable() {}

  /**
   * Runs {@code work} on a connection of its own; should {@code abandoned} complete first, the
   * statement running on that connection is cancelled (PostgreSQL's cancel request, the same as
   * {@code pg_cancel_backend}) and the work fails with SQLSTATE 57014. The connection is held
   * alone for the whole work, so the cancel can only reach this work's statements.
   */
  public static <T> Future<T> withConnection(Pool pool, Future<?> abandoned,
      Function<SqlConnection, Future<T>> work) {
    if (abandoned.isComplete()) {
      return Future.failedFuture(new ClientGoneException());
    }
    return pool.withConnection(conn -> {
      if (abandoned.isComplete()) {
        return Future.failedFuture(new ClientGoneException());
      }
      Future<T> result = work.apply(conn);
      abandoned.onComplete(gone -> {
        if (!result.isComplete()) {
          PgConnection.cast(conn).cancelRequest().onFailure(e ->
              log.warn("cancelling the query of a client that went away failed: {}", e.getMessage()));
        }
      });
      return result;
    });
  }

  /** The client went away before its read started: there is no one to answer. */
  public static final class ClientGoneException extends RuntimeException {
    ClientGoneException() {
      super("the client went away before its read started", null, false, false);
    }
  }
}
