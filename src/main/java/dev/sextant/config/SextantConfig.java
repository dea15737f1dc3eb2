package dev.sextant.config;

import com.cronutils.model.Cron;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
    boolean benchCeilingRoute,
    JobsConfig jobs,
    DashboardConfig dashboard,
    RetentionConfig retention,
    ClusterConfig cluster,
    TelemetryConfig telemetry) {

  public record HttpConfig(
      String host,
      int port,
      int instances,
      int bodyLimitBytes,
      int ingestBodyLimitBytes,
      int compressionThresholdBytes,
      long drainDelayMs,
      long shutdownTimeoutMs,
      boolean accessLog,
      long idleTimeoutMs,
      long requestTimeoutMs) {

    /** Verticle instances to deploy: the configured number, or one per core when it is 0. */
    public int effectiveInstances() {
      return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * {@code statementTimeoutMs}: longest a statement may run (0: no limit);
   * {@code maintenanceIntervalMs}: how often the table maintenance ({@code db.TableMaintenance}) looks for
   * tables to analyze or vacuum (0: never).
   */
  public record DatabaseConfig(String url, int poolSize, int pipeliningLimit, int maxWaitQueue,
      int connectTimeoutMs, int statementTimeoutMs, long maintenanceIntervalMs) {}

  /**
   * Clustered mode: the event bus spans every instance of {@code members} (Hazelcast, TCP-IP join
   * only). {@code host} is the address this member binds and advertises, {@code port} its Hazelcast
   * port (0: a free one), {@code members} the {@code host:port} of the others (this one may be
   * listed too).
   */
  public record ClusterConfig(boolean enabled, String host, int port, List<String> members) {}

  public record RedisConfig(String url, int poolSize, long healthTimeoutMs, String keyPrefix,
      long commandTimeoutMs, int breakerMaxFailures, long breakerResetMs) {}

  /**
   * {@code rollupDelayMs}: a roll-up pass is queued this long after a write, at most one per this
   * time per instance; {@code rollupPauseFactor}: a pass queued after writes waits this many times
   * the last pass's duration before it runs; {@code cacheTtlSeconds}: lifetime of a cached
   * dashboard answer.
   */
  public record DashboardConfig(long rollupDelayMs, double rollupPauseFactor, int cacheTtlSeconds) {}

  public record CacheConfig(boolean enabled, int traceDetailTtlSeconds, int traceStatsTtlSeconds,
      int traceStatsMaxStaleSeconds, long traceStatsStaleIfSlowerThanMs, long nearCacheTtlMs,
      long nearCacheMaxEntries, int modelConfigTtlSeconds) {}

  /** Limits per route group ({@code auth}, {@code default}) per window, shared by all instances. */
  public record RateLimitConfig(boolean enabled, int windowSeconds,
      List<String> trustedProxies, Map<String, Integer> perMinute) {}

  /**
   * The background job workers of this instance. A worker renews the leases ({@code leaseSeconds})
   * of its running jobs every third of a lease, so {@code jobTimeoutMs} may exceed the lease; a
   * job whose worker died is claimed again once its lease expires.
   */
  public record JobsConfig(boolean enabled, long pollIntervalMs, int leaseSeconds, int maxAttempts,
      long backoffBaseMs, long jobTimeoutMs, int claimBatch, int concurrencyPerKind,
      ZoneId timeZone, OffPeak offPeak, List<Schedule> schedules) {

    /** Whether {@code instant} falls inside the off-peak window, read in {@link #timeZone}. */
    public boolean offPeakAt(Instant instant) {
      return offPeak.contains(instant.atZone(timeZone).toLocalTime());
    }

    /** The kinds whose jobs run only inside the off-peak window. */
    public Set<String> heavyKinds() {
      Set<String> heavy = new TreeSet<>();
      schedules.stream().filter(Schedule::heavy).forEach(s -> heavy.add(s.kind()));
      return Set.copyOf(heavy);
    }
  }

  /**
   * The retention job: traces older than their project's {@code retention_days} are deleted at
   * most {@code batchTraces} per statement (with their spans and scores), until none is left or
   * {@code timeBudgetMs} is spent; the rest goes to a follow-up job. Keep the budget below
   * {@code jobs.job_timeout_ms}.
   */
  public record RetentionConfig(int batchTraces, long timeBudgetMs) {}

  /**
   * The daily window in which heavy kinds run, {@code start} included, {@code end} excluded; it
   * may span midnight ({@code 22:00}–{@code 04:00}). Equal times mean the whole day.
   */
  public record OffPeak(LocalTime start, LocalTime end) {

    public boolean contains(LocalTime time) {
      if (start.equals(end)) {
        return true;
      }
      return start.isBefore(end)
          ? !time.isBefore(start) && time.isBefore(end)
          : !time.isBefore(start) || time.isBefore(end);
    }
  }

  /**
   * A kind queued by the scheduler at each time its cron expression (five fields, Unix style, read
   * in {@link JobsConfig#timeZone}) names; no expression (empty) queues nothing. A heavy kind runs
   * only inside the off-peak window.
   */
  public record Schedule(String kind, String expression, boolean heavy) {

    /** Whether the scheduler queues this kind. */
    public boolean scheduled() {
      return !expression.isBlank();
    }

    /** The parsed expression, checked when the configuration was loaded. */
    public Cron cron() {
      return CronExpressions.parse(expression);
    }
  }

  /**
   * Sextant tracing itself: its spans go over OTLP/HTTP to {@code otlpEndpoint} (the whole URL,
   * {@code .../v1/traces}), with {@code otlpHeaders} on every export. No endpoint: tracing off.
   * {@code samplingRatio} applies to requests that come without a sampled-or-not decision of
   * their caller's ({@code traceparent}); the caller's decision is followed. A finished span
   * waits at most {@code exportDelayMs} before its batch is sent.
   */
  public record TelemetryConfig(String otlpEndpoint, Map<String, String> otlpHeaders,
      double samplingRatio, String serviceName, long exportDelayMs) {

    public boolean enabled() {
      return otlpEndpoint != null;
    }
  }

  public record AuthConfig(
      int sessionTtlHours, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism) {}

  /**
   * The typed view of the merged configuration. Every key is read as required: its default is in
   * the shipped {@code conf/sextant.yaml} and nowhere else.
   */
  public static SextantConfig fromJson(JsonObject json) {
    ConfigReader root = ConfigReader.of(json);
    ConfigReader http = root.section("http");
    ConfigReader db = root.section("database");
    ConfigReader redis = root.section("redis");
    ConfigReader auth = root.section("auth");
    return new SextantConfig(
        new HttpConfig(
            http.text("host"),
            http.integer("port"),
            http.integer("instances"),
            http.integer("body_limit_bytes"),
            http.integer("ingest_body_limit_bytes"),
            http.integer("compression_threshold_bytes"),
            http.longInteger("drain_delay_ms"),
            http.longInteger("shutdown_timeout_ms"),
            http.bool("access_log"),
            http.longInteger("idle_timeout_ms"),
            http.longInteger("request_timeout_ms")),
        root.text("data_dir"),
        new DatabaseConfig(
            db.optionalText("url"),
            db.integer("pool_size"),
            db.integer("pipelining_limit"),
            db.integer("max_wait_queue"),
            db.integer("connect_timeout_ms"),
            db.integer("statement_timeout_ms"),
            db.longInteger("maintenance_interval_ms")),
        new RedisConfig(
            redis.optionalText("url"),
            redis.integer("pool_size"),
            redis.longInteger("health_timeout_ms"),
            redis.text("key_prefix"),
            redis.longInteger("command_timeout_ms"),
            redis.integer("breaker_max_failures"),
            redis.longInteger("breaker_reset_ms")),
        new AuthConfig(
            auth.integer("session_ttl_hours"),
            auth.integer("argon2_memory_kib"),
            auth.integer("argon2_iterations"),
            auth.integer("argon2_parallelism")),
        root.section("admin").optionalText("token"),
        cacheConfig(root.section("cache")),
        rateLimitConfig(root.section("ratelimit")),
        root.section("ops").longInteger("slow_request_ms"),
        root.section("bench").bool("ceiling_route"),
        jobsConfig(root.section("jobs")),
        new DashboardConfig(
            root.section("dashboard").longInteger("rollup_delay_ms"),
            root.section("dashboard").decimal("rollup_pause_factor"),
            root.section("dashboard").integer("cache_ttl_seconds")),
        retentionConfig(root.section("retention")),
        clusterConfig(root.section("cluster")),
        telemetryConfig(root.section("telemetry")));
  }

  private static ClusterConfig clusterConfig(ConfigReader cluster) {
    int port = cluster.integer("port");
    if (port > 65535) {
      throw cluster.invalid("port", "a port number up to 65535, or 0 for a free one");
    }
    List<String> members = cluster.list("members");
    for (String member : members) {
      int colon = member.lastIndexOf(':');
      if (colon <= 0 || !member.substring(colon + 1).matches("[0-9]{1,5}")
          || Integer.parseInt(member.substring(colon + 1)) > 65535) {
        throw cluster.invalid("members", "a comma-separated list of host:port");
      }
    }
    return new ClusterConfig(cluster.bool("enabled"), cluster.text("host").trim(), port, members);
  }

  private static TelemetryConfig telemetryConfig(ConfigReader telemetry) {
    String endpoint = telemetry.optionalText("otlp_endpoint");
    if (endpoint != null && !endpoint.trim().matches("(?i)https?://[^\\s/]+(/\\S*)?")) {
      throw telemetry.invalid("otlp_endpoint", "an http:// or https:// URL, such as"
          + " http://collector:4318/v1/traces, or empty (tracing off)");
    }
    double ratio = telemetry.decimal("sampling_ratio");
    if (ratio > 1) {
      throw telemetry.invalid("sampling_ratio", "a number from 0 to 1");
    }
    String service = telemetry.text("service_name").trim();
    if (service.isEmpty()) {
      throw telemetry.invalid("service_name", "a name, such as sextant");
    }
    long delay = telemetry.longInteger("export_delay_ms");
    if (delay < 1) {
      throw telemetry.invalid("export_delay_ms", "at least 1");
    }
    return new TelemetryConfig(endpoint == null ? null : endpoint.trim(),
        headers(telemetry, "otlp_headers"), ratio, service, delay);
  }

  /** {@code Name=value} pairs separated by commas, as OTEL_EXPORTER_OTLP_HEADERS writes them. */
  private static Map<String, String> headers(ConfigReader section, String key) {
    Map<String, String> headers = new TreeMap<>();
    for (String pair : section.list(key)) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? "" : pair.substring(0, equals).trim();
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw section.invalid(key, "Name=value pairs separated by commas, such as"
            + " Authorization=Bearer abc");
      }
      headers.put(name, pair.substring(equals + 1).trim());
    }
    return Map.copyOf(headers);
  }

  private static RetentionConfig retentionConfig(ConfigReader retention) {
    int batch = retention.integer("batch_traces");
    if (batch < 1) {
      throw retention.invalid("batch_traces", "at least 1");
    }
    return new RetentionConfig(batch, retention.longInteger("time_budget_ms"));
  }

  private static JobsConfig jobsConfig(ConfigReader jobs) {
    return new JobsConfig(
        jobs.bool("enabled"),
        jobs.longInteger("poll_interval_ms"),
        jobs.integer("lease_seconds"),
        jobs.integer("max_attempts"),
        jobs.longInteger("backoff_base_ms"),
        jobs.longInteger("job_timeout_ms"),
        jobs.integer("claim_batch"),
        jobs.integer("concurrency_per_kind"),
        zone(jobs, "time_zone"),
        offPeak(jobs.section("off_peak")),
        schedules(jobs.section("schedules")));
  }

  private static ZoneId zone(ConfigReader section, String key) {
    String text = section.text(key);
    try {
      return ZoneId.of(text.trim());
    } catch (DateTimeException e) {
      throw section.invalid(key, "a time zone such as UTC or Europe/Paris");
    }
  }

  private static OffPeak offPeak(ConfigReader window) {
    return new OffPeak(localTime(window, "start"), localTime(window, "end"));
  }

  private static LocalTime localTime(ConfigReader section, String key) {
    try {
      return LocalTime.parse(section.text(key).trim());
    } catch (DateTimeParseException e) {
      throw section.invalid(key, "a time of day such as 02:00");
    }
  }

  /** Every section under {@code jobs.schedules} is a kind with its {@code cron} and {@code heavy}. */
  private static List<Schedule> schedules(ConfigReader schedules) {
    List<Schedule> result = new ArrayList<>();
    for (String kind : new TreeSet<>(schedules.keys())) {
      ConfigReader schedule = schedules.section(kind);
      String expression = schedule.text("cron").trim();
      if (!expression.isEmpty()) {
        try {
          CronExpressions.parse(expression);
        } catch (IllegalArgumentException e) {
          throw schedule.invalid("cron", "a cron expression of five fields (minute hour day month"
              + " weekday) or empty: " + e.getMessage());
        }
      }
      result.add(new Schedule(kind, expression, schedule.bool("heavy")));
    }
    return List.copyOf(result);
  }

  private static CacheConfig cacheConfig(ConfigReader cache) {
    return new CacheConfig(
        cache.bool("enabled"),
        cache.integer("trace_detail_ttl_seconds"),
        cache.integer("trace_stats_ttl_seconds"),
        cache.integer("trace_stats_max_stale_seconds"),
        cache.longInteger("trace_stats_stale_if_slower_than_ms"),
        cache.longInteger("near_cache_ttl_ms"),
        cache.longInteger("near_cache_max_entries"),
        cache.integer("model_config_ttl_seconds"));
  }

  /** Every section under {@code ratelimit} is a route group with its {@code per_minute}. */
  private static RateLimitConfig rateLimitConfig(ConfigReader limits) {
    Map<String, Integer> perMinute = new TreeMap<>();
    for (String group : limits.keys()) {
      if (limits.isSection(group)) {
        perMinute.put(group, limits.section(group).integer("per_minute"));
      }
    }
    return new RateLimitConfig(
        limits.bool("enabled"),
        limits.integer("window_seconds"),
        limits.list("trusted_proxies"),
        Map.copyOf(perMinute));
  }
}
