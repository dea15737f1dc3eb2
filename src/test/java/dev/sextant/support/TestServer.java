package dev.sextant.support;

import dev.sextant.cluster.ClusterMembership;
import dev.sextant.server.Application;
import dev.sextant.config.ConfigLoader;
import dev.sextant.config.SextantConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole Sextant instance on a random port, configured exactly as in production (the shipped
 * {@code conf/sextant.yaml} plus environment overrides), against the test PostgreSQL and Redis.
 */
public final class TestServer implements AutoCloseable {

  private static Vertx configReader;

  private final Application app;
  private final String databaseUrl;
  private final Map<String, String> env;
  public final ApiClient client;

  private TestServer(Application app, String databaseUrl, Map<String, String> env) {
    this.app = app;
    this.databaseUrl = databaseUrl;
    this.env = env;
    this.client = new ApiClient("http://127.0.0.1:" + app.port());
  }

  /** A server with a fresh database of its own. */
  public static TestServer start() {
    return start(Map.of());
  }

  public static TestServer start(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    merged.put("DATABASE_URL", TestInfra.newDatabase());
    merged.put("REDIS_URL", TestInfra.redisUrl());
    merged.put("SEXTANT_HTTP_PORT", "0");
    merged.put("SEXTANT_HTTP_INSTANCES", "2");
    merged.put("SEXTANT_HTTP_ACCESS_LOG", "false");
    // test classes share one Redis: each server gets keys of its own
    merged.put("SEXTANT_REDIS_KEY_PREFIX", "t" + java.util.UUID.randomUUID().toString().substring(0, 8) + ":");
    // limits are tested where they are the subject; elsewhere they would only get in the way
    merged.put("SEXTANT_RATELIMIT_AUTH_PER_MINUTE", "1000000");
    merged.put("SEXTANT_RATELIMIT_DEFAULT_PER_MINUTE", "1000000");
    // stats stay exact after a write, however long a loaded machine takes to compute them;
    // the staleness the contract allows is tested where it is the subject
    merged.put("SEXTANT_CACHE_TRACE_STATS_MAX_STALE_SECONDS", "0");
    merged.putAll(env);
    return startWith(merged);
  }

  /**
   * A second instance over the same database and Redis (and key prefix), as behind a load
   * balancer, with {@code overrides} on top of this one's environment.
   */
  public TestServer sibling(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(overrides);
    return startWith(merged);
  }

  public TestServer sibling() {
    return sibling(Map.of());
  }

  private static TestServer startWith(Map<String, String> env) {
    SextantConfig config = ConfigLoader.load(configReader(), env).await();
    PrometheusMeterRegistry registry = Application.newRegistry();
    ClusterMembership membership = ClusterMembership.of(config.cluster());
    Vertx vertx = Application.newVertx(registry, membership, config.telemetry()).await();
    Application app = Application.start(vertx, registry, config, membership).await();
    return new TestServer(app, config.database().url(), Map.copyOf(env));
  }

  /**
   * The Vert.x instance that reads configurations, shared by every test server of the JVM: a
   * server's own Vert.x can only be built once its configuration is known (it may trace itself).
   */
  private static synchronized Vertx configReader() {
    if (configReader == null) {
      configReader = Vertx.vertx();
    }
    return configReader;
  }

  public int port() {
    return app.port();
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  public Application app() {
    return app;
  }

  @Override
  public void close() {
    app.stop().await();
  }
}
