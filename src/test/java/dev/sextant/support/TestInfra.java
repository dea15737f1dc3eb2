package dev.sextant.support;

import dev.sextant.db.Migrations;

import dev.sextant.db.Database;
import dev.sextant.embedded.EmbeddedPostgres;
import dev.sextant.embedded.EmbeddedRedis;
import dev.sextant.embedded.FreePort;
import dev.sextant.embedded.Platform;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;

/**
 * The real PostgreSQL and Redis the tests talk to: the servers named by {@code TEST_DATABASE_URL}
 * and {@code TEST_REDIS_URL} when set, otherwise embedded ones started once per test run.
 * Each test class gets a database of its own.
 */
public final class TestInfra {

  private static final Path WORK = Path.of("target", "test-services").toAbsolutePath();
  private static EmbeddedPostgres postgres;
  private static EmbeddedRedis redis;
  private static String adminUrl;
  private static String redisUrl;

  private TestInfra() {}

  /** A new, empty database; its URL. */
  /** A fresh database with the schema migrated to the newest version. */
  public static String newMigratedDatabase() {
    String url = newDatabase();
    Migrations.migrate(url);
    return url;
  }

  public static synchronized String newDatabase() {
    String name = "sextant_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection conn = jdbc(adminUrl()); Statement st = conn.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database", e);
    }
    return withDatabase(adminUrl(), name);
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      String fromEnv = System.getenv("TEST_REDIS_URL");
      if (fromEnv != null && !fromEnv.isBlank()) {
        redisUrl = fromEnv;
      } else {
        redis = startRedis(FreePort.find());
        redisUrl = redis.url();
      }
    }
    return redisUrl;
  }

  /** A Redis of its own, for tests that stop and restart it. */
  public static EmbeddedRedis startRedis(int port) {
    try {
      return EmbeddedRedis.start(WORK.resolve("redis-" + port), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A blocking JDBC connection, for fixtures and plan checks in tests. */
  public static Connection jdbc(String url) throws SQLException {
    PgConnectOptions options = Database.connectOptions(url);
    return DriverManager.getConnection(Database.jdbcUrl(options), options.getUser(),
        options.getPassword());
  }

  private static synchronized String adminUrl() {
    if (adminUrl == null) {
      String fromEnv = System.getenv("TEST_DATABASE_URL");
      if (fromEnv != null && !fromEnv.isBlank()) {
        adminUrl = fromEnv;
      } else {
        postgres = startPostgres();
        adminUrl = postgres.url("postgres");
      }
    }
    return adminUrl;
  }

  /**
   * A PostgreSQL of its own on {@code port}, for tests that stop and restart it; the caller closes
   * it. Its data directory is made afresh.
   */
  public static EmbeddedPostgres startOwnPostgres(int port) {
    try {
      Path base = WORK.resolve("postgres-" + port);
      deleteRecursively(base.resolve("pgdata"));
      Platform platform = Platform.current()
          .orElseThrow(() -> new IllegalStateException(Platform.unsupportedMessage()));
      return EmbeddedPostgres.start(platform, base, port, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private static EmbeddedPostgres startPostgres() {
    try {
      Path base = WORK.resolve("postgres");
      deleteRecursively(base.resolve("pgdata"));
      Platform platform = Platform.current()
          .orElseThrow(() -> new IllegalStateException(Platform.unsupportedMessage()));
      EmbeddedPostgres pg = EmbeddedPostgres.start(platform, base, FreePort.find(), false);
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "test-postgres-stop"));
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private static String withDatabase(String url, String database) {
    PgConnectOptions o = PgConnectOptions.fromUri(url);
    String auth = o.getUser() == null ? "" : o.getUser()
        + (o.getPassword() == null || o.getPassword().isEmpty() ? "" : ":" + o.getPassword()) + "@";
    return "postgresql://" + auth + o.getHost() + ":" + o.getPort() + "/" + database;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
