package dev.sextant.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tables' planner statistics current, and their dead rows vacuumed where autovacuum is
 * off, instead of relying on autovacuum alone.
 *
 * <p>Every statement runs a generic plan, made once per pooled connection ({@link Database}), and
 * PostgreSQL replaces a cached plan only when a table it reads is analyzed (or vacuumed). A plan
 * made while a table was empty is kept until then: a new deployment's first plans looked spans up
 * by trace id through an index led by the project alone, reading every span of the project for
 * each batch, so ingest slowed as the project grew. Autovacuum analyzes a table at most once per
 * {@code autovacuum_naptime} (a minute by default) after it changed, and never where it is off,
 * as on servers tuned for bulk loads; there the slow plans stayed for good and the roll-up deltas,
 * inserted and deleted every few seconds, were never vacuumed.
 *
 * <p>Every {@code database.maintenance_interval_ms}, the instance that takes a session advisory
 * lock (one at a time in a cluster; the others skip that round) applies autovacuum's own
 * thresholds, its settings and each table's overrides included: {@code ANALYZE} for a table whose
 * changes since its last analysis exceed them, and {@code VACUUM (ANALYZE)} for one with dead or
 * newly inserted rows beyond them, but only where autovacuum is off for that table (server-wide or
 * by its {@code autovacuum_enabled}), since autovacuum vacuums with its cost limits otherwise. One
 * statement at a time, on one connection without a statement timeout.
 */
public final class TableMaintenance extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TableMaintenance.class);
  /** The advisory lock's key: 'SXDM' and 1, apart from every other lock of the schema. */
  static final String TRY_LOCK = "SELECT pg_try_advisory_lock(1398293581, 1)";
  static final String UNLOCK = "SELECT pg_advisory_unlock(1398293581, 1)";
  /**
   * The tables of this schema that need work, by autovacuum's rules: analyze when the rows
   * changed since the last analysis exceed threshold + scale factor × rows; vacuum when dead rows,
   * or rows inserted since the last vacuum, exceed theirs (and autovacuum is off for the table).
   */
  static final String DUE = """
      SELECT format('%%I.%%I', schemaname, relname) AS name,
             n_mod_since_analyze > %1$s + %2$s * tuples AS analyze,
             NOT autovacuum AND (n_dead_tup > %3$s + %4$s * tuples
                                 OR n_ins_since_vacuum > %5$s + %6$s * tuples) AS vacuum
        FROM (SELECT s.schemaname, s.relname, s.n_mod_since_analyze, s.n_dead_tup,
                     s.n_ins_since_vacuum, greatest(c.reltuples, 0) AS tuples, c.reloptions,
                     current_setting('autovacuum')::boolean
                         AND coalesce((SELECT option_value::boolean
                                         FROM pg_options_to_table(c.reloptions)
                                        WHERE option_name = 'autovacuum_enabled'), true)
                         AS autovacuum
                FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
               WHERE s.schemaname = current_schema()) t
       ORDER BY relname""".formatted(setting("autovacuum_analyze_threshold"),
      setting("autovacuum_analyze_scale_factor"), setting("autovacuum_vacuum_threshold"),
      setting("autovacuum_vacuum_scale_factor"), setting("autovacuum_vacuum_insert_threshold"),
      setting("autovacuum_vacuum_insert_scale_factor"));

  /** Autovacuum setting {@code name}: the table's own (reloptions) or the server's. */
  private static String setting(String name) {
    return ("coalesce((SELECT option_value FROM pg_options_to_table(reloptions)"
        + " WHERE option_name = '%1$s'), current_setting('%1$s'))::float8").formatted(name);
  }

  private final Pool pool;
  private final long intervalMs;
  private final Counter analyzed;
  private final Counter vacuumed;
  private long timer = -1;
  private boolean running;

  /** @param intervalMs how often to look; 0 never */
  public TableMaintenance(Pool pool, long intervalMs, MeterRegistry registry) {
    this.pool = pool;
    this.intervalMs = intervalMs;
    this.analyzed = counter(registry, "analyze");
    this.vacuumed = counter(registry, "vacuum");
  }

  private static Counter counter(MeterRegistry registry, String action) {
    return Counter.builder("sextant.db.maintenance").tag("action", action)
        .description("tables analyzed or vacuumed by Sextant itself (autovacuum's are not counted)")
        .register(registry);
  }

  @Override
  public Future<?> start() {
    if (intervalMs > 0) {
      timer = vertx.setPeriodic(intervalMs, id -> {
        if (!running) {
          running = true;
          runOnce().onComplete(ar -> {
            running = false;
            if (ar.failed()) {
              log.warn("table maintenance failed (tried again in {} ms): {}", intervalMs,
                  ar.cause().toString());
            }
          });
        }
      });
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /**
   * One round: the statements it ran, or an empty list when nothing was due or another instance
   * holds the lock.
   */
  public Future<List<String>> runOnce() {
    return pool.getConnection().compose(conn -> conn.query(TRY_LOCK).execute()
        .compose(locked -> locked.iterator().next().getBoolean(0)
            ? maintain(conn).eventually(() -> conn.query(UNLOCK).execute())
            : Future.succeededFuture(List.<String>of()))
        .eventually(conn::close));
  }

  private Future<List<String>> maintain(SqlConnection conn) {
    return conn.query(DUE).execute().compose(rows -> {
      List<String> statements = new ArrayList<>();
      // the analyses first: they are quick and are what replaces stale plans
      for (Row row : rows) {
        if (row.getBoolean("analyze") && !row.getBoolean("vacuum")) {
          statements.add("ANALYZE " + row.getString("name"));
        }
      }
      for (Row row : rows) {
        if (row.getBoolean("vacuum")) {
          statements.add("VACUUM (ANALYZE) " + row.getString("name"));
        }
      }
      if (statements.isEmpty()) {
        return Future.succeededFuture(statements);
      }
      return conn.query("SET statement_timeout = 0").execute()
          .compose(v -> runInTurn(conn, statements, 0))
          .eventually(() -> conn.query("RESET statement_timeout").execute())
          .map(statements);
    });
  }

  private Future<Void> runInTurn(SqlConnection conn, List<String> statements, int next) {
    if (next == statements.size()) {
      return Future.succeededFuture();
    }
    String statement = statements.get(next);
    return conn.query(statement).execute().compose(done -> {
      (statement.startsWith("VACUUM") ? vacuumed : analyzed).increment();
      log.debug("{}", statement);
      return runInTurn(conn, statements, next + 1);
    });
  }
}
