package dev.sextant.config;

import io.vertx.core.json.JsonObject;

/**
 * The whole configuration, typed and immutable, built once at start-up from the layered
 * sources that {@link ConfigLoader} merges.
 */
public record SextantConfig(
    HttpConfig http,
    String dataDir,
    DatabaseConfig database,
    RedisConfig redis,
    AuthConfig auth,
    String adminToken) {

  public record HttpConfig(
      String host,
      int port,
      int instances,
      int bodyLimitBytes,
      int ingestBodyLimitBytes,
      int compressionThresholdBytes,
      long drainDelayMs,
      long shutdownTimeoutMs,
      boolean accessLog) {

    /** Verticle instances to deploy: the configured number, or one per core when it is 0. */
    public int effectiveInstances() {
      return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }
  }

  public record DatabaseConfig(
      String url, int poolSize, int pipeliningLimit, int maxWaitQueue, int connectTimeoutMs) {}

  public record RedisConfig(String url, int poolSize, long healthTimeoutMs) {}

  public record AuthConfig(
      int sessionTtlHours, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism) {}

  public static SextantConfig fromJson(JsonObject json) {
    JsonObject http = section(json, "http");
    JsonObject db = section(json, "database");
    JsonObject redis = section(json, "redis");
    JsonObject auth = section(json, "auth");
    return new SextantConfig(
        new HttpConfig(
            http.getString("host", "0.0.0.0"),
            http.getInteger("port", 8080),
            http.getInteger("instances", 0),
            http.getInteger("body_limit_bytes", 1 << 20),
            http.getInteger("ingest_body_limit_bytes", 5 << 20),
            http.getInteger("compression_threshold_bytes", 1024),
            http.getLong("drain_delay_ms", 0L),
            http.getLong("shutdown_timeout_ms", 10_000L),
            http.getBoolean("access_log", true)),
        json.getString("data_dir", "./data"),
        new DatabaseConfig(
            blankToNull(db.getString("url")),
            db.getInteger("pool_size", 16),
            db.getInteger("pipelining_limit", 256),
            db.getInteger("max_wait_queue", 2048),
            db.getInteger("connect_timeout_ms", 5000)),
        new RedisConfig(
            blankToNull(redis.getString("url")),
            redis.getInteger("pool_size", 16),
            redis.getLong("health_timeout_ms", 500L)),
        new AuthConfig(
            auth.getInteger("session_ttl_hours", 168),
            auth.getInteger("argon2_memory_kib", 19456),
            auth.getInteger("argon2_iterations", 2),
            auth.getInteger("argon2_parallelism", 1)),
        blankToNull(section(json, "admin").getString("token")));
  }

  public SextantConfig withDatabaseUrl(String url) {
    return new SextantConfig(http, dataDir,
        new DatabaseConfig(url, database.poolSize(), database.pipeliningLimit(),
            database.maxWaitQueue(), database.connectTimeoutMs()),
        redis, auth, adminToken);
  }

  public SextantConfig withRedisUrl(String url) {
    return new SextantConfig(http, dataDir, database,
        new RedisConfig(url, redis.poolSize(), redis.healthTimeoutMs()), auth, adminToken);
  }

  private static JsonObject section(JsonObject json, String key) {
    JsonObject section = json.getJsonObject(key);
    return section == null ? new JsonObject() : section;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
