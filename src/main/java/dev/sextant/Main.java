package dev.sextant;

import dev.sextant.cluster.ClusterMembership;
import dev.sextant.config.ConfigException;
import dev.sextant.config.ConfigLoader;
import dev.sextant.config.SextantConfig;
import dev.sextant.embedded.EmbeddedServices;
import dev.sextant.embedded.Platform;
import dev.sextant.server.Application;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launcher. {@code dev} runs against PostgreSQL and Redis started from binaries inside the jar, with
 * data under {@code data_dir}; {@code serve} runs against {@code DATABASE_URL} and {@code REDIS_URL}.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);
  static final int EXIT_USAGE = 2;

  private Main() {}

  /**
   * {@code dev} listens on the loopback address unless {@code SEXTANT_HTTP_HOST} names another:
   * a developer's instance (embedded services, throwaway credentials) is not for the network.
   * {@code serve} keeps the configured {@code http.host}.
   */
  static Map<String, String> devEnvironment(Map<String, String> env) {
    if (env.containsKey("SEXTANT_HTTP_HOST")) {
      return env;
    }
    Map<String, String> dev = new java.util.HashMap<>(env);
    dev.put("SEXTANT_HTTP_HOST", "127.0.0.1");
    return Map.copyOf(dev);
  }

  public static void main(String[] args) {
    String mode = args.length == 0 ? "" : args[0];
    if (!mode.equals("dev") && !mode.equals("serve")) {
      System.err.println("usage: java -jar sextant.jar dev|serve");
      System.err.println("  dev    embedded PostgreSQL and Redis, data under ./data");
      System.err.println("  serve  production: needs DATABASE_URL and REDIS_URL");
      System.exit(EXIT_USAGE);
    }
    long started = System.nanoTime();
    Map<String, String> env = mode.equals("dev") ? devEnvironment(System.getenv()) : System.getenv();
    PrometheusMeterRegistry registry = Application.newRegistry();
    Vertx vertx = null;
    EmbeddedServices embedded = null;
    try {
      SextantConfig config = loadConfig(env);
      if (mode.equals("dev")) {
        // a server the developer names (DATABASE_URL, REDIS_URL) is used instead of an embedded one
        boolean ownPostgres = config.database().url() != null;
        boolean ownRedis = config.redis().url() != null;
        if (!ownPostgres || !ownRedis) {
          Platform platform = Platform.current()
              .orElseThrow(() -> new ConfigException(Platform.unsupportedMessage()));
          embedded = EmbeddedServices.start(platform, config.dataDir(), !ownPostgres, !ownRedis);
          config = loadConfig(withEmbeddedUrls(env, embedded));
        }
        log.info("dev: PostgreSQL {}, Redis {}", ownPostgres ? "from DATABASE_URL" : "embedded",
            ownRedis ? "from REDIS_URL" : "embedded");
      } else {
        requireUrl(config.database().url(), "DATABASE_URL");
        requireUrl(config.redis().url(), "REDIS_URL");
      }
      // built once the configuration is known: whether it is clustered and whether it traces
      // itself are decided at its birth
      ClusterMembership membership = ClusterMembership.of(config.cluster());
      vertx = Application.newVertx(registry, membership, config.telemetry()).await();
      Application app = Application.start(vertx, registry, config, membership).await();
      installShutdownHook(app, embedded, config.http().shutdownTimeoutMs());
      log.info("started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      if (embedded != null) {
        printWelcome(app.port());
      }
    } catch (ConfigException e) {
      System.err.println("sextant: " + e.getMessage());
      closeQuietly(vertx);
      closeQuietly(embedded);
      System.exit(EXIT_USAGE);
    } catch (Exception e) {
      log.error("sextant failed to start", e);
      closeQuietly(vertx);
      closeQuietly(embedded);
      System.exit(1);
    }
  }

  /** The configuration, read with a Vert.x instance of its own that is closed afterwards. */
  private static SextantConfig loadConfig(Map<String, String> env) {
    Vertx reader = Vertx.vertx();
    try {
      return ConfigLoader.load(reader, env).await();
    } finally {
      reader.close();
    }
  }

  private static void closeQuietly(Vertx vertx) {
    if (vertx != null) {
      vertx.close();
    }
  }

  /** {@code env} with the URLs of the embedded servers that were started as DATABASE_URL and REDIS_URL. */
  private static Map<String, String> withEmbeddedUrls(Map<String, String> env, EmbeddedServices embedded) {
    Map<String, String> result = new HashMap<>(env);
    if (embedded.databaseUrl() != null) {
      result.put("DATABASE_URL", embedded.databaseUrl());
    }
    if (embedded.redisUrl() != null) {
      result.put("REDIS_URL", embedded.redisUrl());
    }
    return result;
  }

  private static void requireUrl(String value, String variable) {
    if (value == null) {
      throw new ConfigException(variable + " is not set: `serve` needs " + variable
          + " (or use `dev` for embedded PostgreSQL and Redis)");
    }
  }

  private static void installShutdownHook(Application app, EmbeddedServices embedded,
      long shutdownTimeoutMs) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: draining in-flight requests");
      try {
        app.stop().await(shutdownTimeoutMs + 5000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not finish cleanly: {}", e.toString());
      }
      closeQuietly(embedded);
      log.info("stopped");
    }, "sextant-shutdown"));
  }

  private static void closeQuietly(EmbeddedServices embedded) {
    if (embedded != null) {
      embedded.close();
    }
  }

  private static void printWelcome(int port) {
    String base = "http://127.0.0.1:" + port;
    log.info("""
        sextant dev server is ready at {}
          try:  curl -s -X POST {}/api/v1/auth/signup -H 'Content-Type: application/json' \\
                  -d '{"email":"you@example.com","password":"correct horse battery","name":"You"}'
          then: see README.md for login, projects and API keys""", base, base);
  }
}
