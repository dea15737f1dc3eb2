package dev.sextant.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Far more work than the pool serves, from several event loops at once: a pool of 2 connections
 * and 4 waiters at most. The SQL client's own acquisition timer raced the grant of a connection
 * there (vertx-sql-client issue #1567): a connection handed to a request the timer had already
 * failed was never given back, and once both were gone the waiters that timed out still filled
 * the queue, so the pool refused every request from then on.
 */
@DisplayName("The PostgreSQL pool flooded with work")
class PoolFloodTest {

  private static final int POOL_SIZE = 2;
  private static final int CONTEXTS = 4;
  /**
   * The SQL client's acquisition timer used to be this (connect_timeout_ms): at 1 ms it fires
   * while connections are being granted, which made the race of issue #1567 show within seconds.
   * Now it bounds only the TCP connect, to a local PostgreSQL.
   */
  private static final int CONNECT_TIMEOUT_MS = 1;
  /** Requests sent at once per tick and event loop: more than the pool (2) and its queue (4). */
  private static final int BURST = 8;
  private static final Duration FLOOD = Duration.ofSeconds(3);

  private Vertx vertx;
  private Pool pool;
  private final Queue<Throwable> unhandled = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(unhandled::add);
    String url = TestInfra.newDatabase();
    pool = Database.createPool(vertx,
        new DatabaseConfig(url, POOL_SIZE, 16, 4, CONNECT_TIMEOUT_MS, 30_000, 0));
  }

  @AfterEach
  void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Opens the pool's connections before the flood, so that the flood opens none: a 1 ms connect
   * can time out on a busy machine, which would fail requests for a reason this test is not about.
   */
  private void openEveryConnection() {
    Await.until(Duration.ofSeconds(30), () -> {
      List<Future<SqlConnection>> held = new ArrayList<>();
      for (int i = 0; i < POOL_SIZE; i++) {
        held.add(pool.getConnection());
      }
      boolean opened = Future.join(held).map(true).otherwise(false).await();
      held.stream().filter(Future::succeeded).forEach(conn -> conn.result().close());
      return opened;
    }, "the pool's connections open");
  }

  @Test
  @DisplayName("answers every request, sheds the excess as overload, and keeps every connection")
  void floodKeepsEveryConnection() throws Exception {
    openEveryConnection();
    long until = System.nanoTime() + FLOOD.toNanos();
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger shed = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    CountDownLatch flooding = new CountDownLatch(CONTEXTS);
    for (Context context : contexts()) {
      context.runOnContext(v -> vertx.setPeriodic(5, id -> {
        if (System.nanoTime() > until) {
          vertx.cancelTimer(id);
          flooding.countDown();
          return;
        }
        // a burst beyond the pool and its wait queue at once, so some of it is always shed,
        // however fast the database answers; both ways into the pool: a connection held for
        // the work, and a query of its own
        for (int i = 0; i < BURST; i++) {
          Future<?> work = issued.incrementAndGet() % 2 == 0
              ? pool.withConnection(conn -> conn.query("SELECT 1").execute())
              : pool.query("SELECT 1").execute();
          work.onComplete(ar -> {
            if (ar.succeeded()) {
              served.incrementAndGet();
            } else if (isShed(ar.cause())) {
              shed.incrementAndGet();
            } else {
              unexpected.add(ar.cause());
            }
            answered.incrementAndGet();
          });
        }
      }));
    }

    Await.until(Duration.ofSeconds(60), () -> flooding.getCount() == 0
        && answered.get() == issued.get(), "every request of the flood answered");
    assertThat(served.get()).as("requests served").isPositive();
    assertThat(shed.get()).as("requests shed: the flood went beyond the pool").isPositive();
    assertThat(unexpected).as("failures other than shedding").isEmpty();

    // every connection came back: the pool's full size can be held at once and used
    List<Future<SqlConnection>> held = new ArrayList<>();
    for (int i = 0; i < POOL_SIZE; i++) {
      held.add(pool.getConnection());
    }
    List<SqlConnection> connections = Future.all(held).await(10, TimeUnit.SECONDS).list();
    List<Future<?>> sleeps = new ArrayList<>();
    for (SqlConnection conn : connections) {
      sleeps.add(conn.query("SELECT pg_sleep(0.05)").execute().eventually(conn::close));
    }
    Future.all(sleeps).await(10, TimeUnit.SECONDS);
    assertThat(unhandled).as("exceptions nobody handled").isEmpty();
  }

  private static boolean isShed(Throwable failure) {
    return failure instanceof ConnectionPoolTooBusyException
        || failure.getMessage() != null && failure.getMessage().contains("Timeout");
  }

  private List<Context> contexts() throws Exception {
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < CONTEXTS; i++) {
      Promise<Context> started = Promise.promise();
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          started.complete(context);
          return Future.succeededFuture();
        }
      }).await(10, TimeUnit.SECONDS);
      contexts.add(started.future().await(10, TimeUnit.SECONDS));
    }
    return contexts;
  }
}
