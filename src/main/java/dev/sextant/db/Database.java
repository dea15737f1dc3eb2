package dev.sextant.db;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the one PostgreSQL pool every verticle shares: pipelined, with prepared-statement caching. */
public final class Database {

  /** The longest statement text kept prepared; every statement of ours is shorter (tested). */
  public static final int STATEMENT_CACHE_SQL_LIMIT = 16_384;

  private Database() {}

  public static Pool createPool(Vertx vertx, DatabaseConfig config) {
    PgConnectOptions connect = connectOptions(config.url())
        .setPipeliningLimit(config.pipeliningLimit())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        // the client leaves statements longer than its default limit (2 048 characters) out of the
        // cache: PostgreSQL then parsed and planned the trace upsert on every ingest request
        .setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT);
    // Every statement is planned once per connection, for any project. Left to choose, PostgreSQL
    // re-plans with the values for as long as that looks cheaper, and it looks cheapest exactly
    // when it is wrong: for a project newer than the table's statistics, which it then believes
    // empty, it chose to read every span of the project to recompute one trace (30-150 ms a batch
    // instead of 1). The generic plans of all statements are checked to use indexes (the plan
    // tests); the stats, whose best plan depends on the range, ask for their own (TraceRepository).
    connect.addProperty("plan_cache_mode", "force_generic_plan");
    // JIT compiles only plans estimated as expensive, which here means the stats over a large
    // project: compiling added 25 ms to the 350 ms of one over a million spans, and won nothing
    connect.addProperty("jit", "off");
    if (config.statementTimeoutMs() > 0) {
      // set per connection at start-up: a query whose client went away stops within this bound
      connect.addProperty("statement_timeout", Integer.toString(config.statementTimeoutMs()));
    }
    // No acquisition timer (connectionTimeout 0). In vertx-sql-client 5.0.7 that timer races the
    // grant of a connection (upstream issue eclipse-vertx/vertx-sql-client#1567, fixed by #1620
    // after 5.0.7): a connection handed to a request the timer had already failed is never
    // recycled ("IllegalStateException: Promise already completed"), so a flood took connections
    // out of the pool for good until it served nothing (PoolFloodTest). Waits stay bounded
    // without it: beyond max_wait_queue a request fails at once (503), each statement ends within
    // statement_timeout, and a connection attempt within connect_timeout_ms (the TCP connect).
    // Restore setConnectionTimeout once the BOM brings the fix.
    PoolOptions pool = new PoolOptions()
        .setName("sextant-pg")
        .setMaxSize(config.poolSize())
        .setMaxWaitQueueSize(config.maxWaitQueue())
        .setConnectionTimeout(0)
        .setEventLoopSize(Runtime.getRuntime().availableProcessors());
    NetClientOptions transport = new NetClientOptions().setConnectTimeout(config.connectTimeoutMs());
    return PgBuilder.pool().with(pool).with(transport).connectingTo(connect).using(vertx).build();
  }

  /** Parses {@code postgresql://user:password@host:port/db} (or {@code postgres://}). */
  public static PgConnectOptions connectOptions(String url) {
    try {
      return PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "DATABASE_URL is not a postgresql:// URL (postgresql://user:password@host:port/database)");
    }
  }

  /** The same database as a JDBC URL, for Flyway. */
  public static String jdbcUrl(PgConnectOptions options) {
    return "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/"
        + options.getDatabase();
  }
}
