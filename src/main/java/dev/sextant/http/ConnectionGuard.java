package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that hold the server without sending it a request: a head or a body
 * trickled in a byte at a time (slow-loris), or a keep-alive connection that never sends its
 * next request. Netty's idle timeout cannot tell: every trickled byte resets it, and it would also
 * close a connection whose answer the server is still computing.
 *
 * <p>One guard per HTTP verticle, used from its event loop only: {@link #connectionHandler} for
 * the server's connections, {@link #requests} around its request handler. One timer per
 * connection, re-armed for the next deadline; nothing here blocks or holds a pool connection.
 */
public final class ConnectionGuard {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final long requestTimeoutMs;
  private final long idleTimeoutMs;
  private final Map<HttpConnection, Watch> watched = new HashMap<>();

  /**
   * @param requestTimeoutMs how long a request may take to arrive whole: the first head from the
   *     connection's opening, a body from its head
   * @param idleTimeoutMs how long a connection may wait between requests
   */
  public ConnectionGuard(Vertx vertx, long requestTimeoutMs, long idleTimeoutMs) {
    this.vertx = vertx;
    this.requestTimeoutMs = requestTimeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** To register as the server's connection handler. */
  public Handler<HttpConnection> connectionHandler() {
    return connection -> {
      Watch watch = new Watch(connection);
      watched.put(connection, watch);
      connection.closeHandler(v -> {
        watched.remove(connection);
        vertx.cancelTimer(watch.timer);
      });
      watch.schedule(requestTimeoutMs);
    };
  }

  /** {@code handler}, after the guard notes that a request's head has arrived. */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> handler) {
    return request -> {
      Watch watch = watched.get(request.connection());
      if (watch != null) {
        watch.current = request;
        watch.headAt = System.nanoTime();
        watch.idleSince = 0;
      }
      handler.handle(request);
    };
  }

  /** What one connection is doing, checked when its timer fires. */
  private final class Watch {
    private final HttpConnection connection;
    private final long openedAt = System.nanoTime();
    private HttpServerRequest current;
    private long headAt;
    private long idleSince;
    private long timer;

    Watch(HttpConnection connection) {
      this.connection = connection;
    }

    void schedule(long delayMs) {
      timer = vertx.setTimer(Math.max(1, delayMs), id -> check());
    }

    private void check() {
      long now = System.nanoTime();
      if (current == null) {
        expireOrWait(openedAt, requestTimeoutMs, now, "no complete request head");
      } else if (!current.isEnded()) {
        expireOrWait(headAt, requestTimeoutMs, now, "request body incomplete");
      } else if (!current.response().ended()) {
        // the server's turn: how long it takes is bounded elsewhere (statement timeout, pool wait)
        schedule(requestTimeoutMs);
      } else {
        if (idleSince == 0) {
          idleSince = now;
        }
        expireOrWait(idleSince, idleTimeoutMs, now, "no next request");
      }
    }

    private void expireOrWait(long since, long limitMs, long now, String why) {
      long leftMs = limitMs - (now - since) / 1_000_000;
      if (leftMs > 0) {
        schedule(leftMs);
        return;
      }
      log.info("connection from {} closed after {} ms: {}", connection.remoteAddress(), limitMs, why);
      connection.close();
    }
  }
}
