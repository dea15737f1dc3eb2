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
    String adminToken,
    CacheConfig cache,
    RateLimitConfig rateLimit,
    long slowRequestMs,
    boolean benchCeilingRoute) {

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

  /** {@code statementTimeoutMs}: longest a statement may run (0: no limit). */
  public record DatabaseConfig(String url, int poolSize, int pipeliningLimit, int maxWaitQueue,
      int connectTimeoutMs, int statementTimeoutMs) {}

  public record RedisConfig(String url, int poolSize, long healthTimeoutMs, String keyPrefix,
      long commandTimeoutMs, int breakerMaxFailures, long breakerResetMs) {}

  public record CacheConfig(boolean enabled, int traceDetailTtlSeconds, int traceStatsTtlSeconds,
      int traceStatsMaxStaleSeconds, long traceStatsStaleIfSlowerThanMs, long nearCacheTtlMs,
      long nearCacheMaxEntries) {}

  /** Limits per route group ({@code auth}, {@code default}) per window, shared by all instances. */
  public record RateLimitConfig(boolean enabled, int windowSeconds,
      java.util.List<String> trustedProxies, java.util.Map<String, Integer> perMinute) {}

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
            db.getInteger("connect_timeout_ms", 5000),
            db.getInteger("statement_timeout_ms", 30000)),
        new RedisConfig(
            blankToNull(redis.getString("url")),
            redis.getInteger("pool_size", 16),
            redis.getLong("health_timeout_ms", 500L),
            redis.getString("key_prefix", "sx:"),
            redis.getLong("command_timeout_ms", 1000L),
            redis.getInteger("breaker_max_failures", 5),
            redis.getLong("breaker_reset_ms", 2000L)),
        new AuthConfig(
            auth.getInteger("session_ttl_hours", 168),
            auth.getInteger("argon2_memory_kib", 19456),
            auth.getInteger("argon2_iterations", 2),
            auth.getInteger("argon2_parallelism", 1)),
        blankToNull(section(json, "admin").getString("token")),
        cacheConfig(section(json, "cache")),
        rateLimitConfig(section(json, "ratelimit")),
        section(json, "ops").getLong("slow_request_ms", 500L),
        section(json, "bench").getBoolean("ceiling_route", false));
  }

  private static CacheConfig cacheConfig(JsonObject cache) {
    return new CacheConfig(
        cache.getBoolean("enabled", true),
        cache.getInteger("trace_detail_ttl_seconds", 300),
        cache.getInteger("trace_stats_ttl_seconds", 60),
        cache.getInteger("trace_stats_max_stale_seconds", 60),
        cache.getLong("trace_stats_stale_if_slower_than_ms", 50L),
        cache.getLong("near_cache_ttl_ms", 500L),
        cache.getLong("near_cache_max_entries", 100_000L));
  }

  private static RateLimitConfig rateLimitConfig(JsonObject limits) {
    java.util.Map<String, Integer> perMinute = new java.util.TreeMap<>();
    for (String group : limits.fieldNames()) {
      if (limits.getValue(group) instanceof JsonObject g && g.getValue("per_minute") != null) {
        perMinute.put(group, g.getInteger("per_minute"));
      }
    }
    String proxies = limits.getString("trusted_proxies", "");
    return new RateLimitConfig(
        limits.getBoolean("enabled", true),
        limits.getInteger("window_seconds", 60),
        java.util.Arrays.stream(proxies.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList(),
        java.util.Map.copyOf(perMinute));
  }

  public SextantConfig withDatabaseUrl(String url) {
    return new SextantConfig(http, dataDir,
        new DatabaseConfig(url, database.poolSize(), database.pipeliningLimit(),
            database.maxWaitQueue(), database.connectTimeoutMs(), database.statementTimeoutMs()),
        redis, auth, adminToken, cache, rateLimit, slowRequestMs, benchCeilingRoute);
  }

  public SextantConfig withRedisUrl(String url) {
    return new SextantConfig(http, dataDir, database,
        new RedisConfig(url, redis.poolSize(), redis.healthTimeoutMs(), redis.keyPrefix(),
            redis.commandTimeoutMs(), redis.breakerMaxFailures(), redis.breakerResetMs()),
        auth, adminToken, cache, rateLimit, slowRequestMs, benchCeilingRoute);
  }

  private static JsonObject section(JsonObject json, String key) {
    JsonObject section = json.getJsonObject(key);
    return section == null ? new JsonObject() : section;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
