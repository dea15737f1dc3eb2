package dev.sextant.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with Flyway before anything serves requests. Instances started
 * together against one database migrate it once: each takes Flyway's PostgreSQL advisory lock, and
 * the one that gets it first applies what is pending while the others wait, then find nothing left.
 */
public final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Runs pending migrations on a worker thread: Flyway speaks blocking JDBC. */
  public static Future<Integer> migrate(Vertx vertx, String databaseUrl) {
    return vertx.executeBlocking(() -> migrate(databaseUrl));
  }

  public static int migrate(String databaseUrl) {
    return migrate(databaseUrl, "classpath:db/migration");
  }

  static int migrate(String databaseUrl, String... locations) {
    PgConnectOptions options = Database.connectOptions(databaseUrl);
    FluentConfiguration configuration = Flyway.configure()
        .dataSource(Database.jdbcUrl(options), options.getUser(), options.getPassword())
        .locations(locations)
        // wait for the instance migrating, however long its migrations take (the default gives up
        // after 50 tries); a session lock dies with its connection, so none is left behind
        .lockRetryCount(-1);
    // a session-level lock, not Flyway's default transaction-level one: a waiting instance would
    // otherwise hold a transaction open while it waits, and a migration that cannot run in a
    // transaction (CREATE INDEX CONCURRENTLY waits for every older transaction) would wait for it
    // forever
    configuration.getConfigurationExtension(PostgreSQLConfigurationExtension.class)
        .setTransactionalLock(false);
    Flyway flyway = configuration.load();
    int applied = flyway.migrate().migrationsExecuted;
    log.info("schema migrations applied: {}", applied);
    return applied;
  }
}
