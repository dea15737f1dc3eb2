package dev.sextant.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the schema up to date with Flyway before anything serves requests. */
public final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Runs pending migrations on a worker thread: Flyway speaks blocking JDBC. */
  public static Future<Integer> migrate(Vertx vertx, String databaseUrl) {
    return vertx.executeBlocking(() -> migrate(databaseUrl));
  }

  public static int migrate(String databaseUrl) {
    PgConnectOptions options = Database.connectOptions(databaseUrl);
    Flyway flyway = Flyway.configure()
        .dataSource(Database.jdbcUrl(options), options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load();
    int applied = flyway.migrate().migrationsExecuted;
    log.info("schema migrations applied: {}", applied);
    return applied;
  }
}
