package dev.sextant.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.config.SextantConfig.JobsConfig;
import dev.sextant.config.SextantConfig.OffPeak;
import dev.sextant.config.SextantConfig.Schedule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@DisplayName("Configuration")
class ConfigLoaderTest {

  /** Keys whose text has a syntax, each with a valid value other than its default. */
  private static final Map<String, String> OTHER_VALID = Map.of(
      "jobs.time_zone", "Europe/Paris",
      "jobs.off_peak.start", "01:30",
      "jobs.off_peak.end", "06:00",
      "jobs.schedules.retention.cron", "30 4 * * 0",
      "jobs.schedules.dashboard_rollup.cron", "*/5 * * * *",
      "cluster.members", "10.0.0.2:5701,10.0.0.3:5701",
      "telemetry.otlp_endpoint", "http://collector:4318/v1/traces",
      "telemetry.otlp_headers", "Authorization=Bearer abc",
      "telemetry.sampling_ratio", "0.25");

  @TempDir
  Path dir;

  @Test
  @DisplayName("comes from conf/sextant.yaml when the environment says nothing")
  void defaults(Vertx vertx) {
    SextantConfig config = ConfigLoader.load(vertx, Map.of()).await();
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().accessLog()).isTrue();
    assertThat(config.dataDir()).isEqualTo("./data");
    assertThat(config.database().url()).isNull();
    assertThat(config.redis().url()).isNull();
    assertThat(config.redis().keyPrefix()).isEqualTo("sx:");
    assertThat(config.adminToken()).isNull();
    assertThat(config.cache().nearCacheMaxEntries()).isEqualTo(100_000L);
    assertThat(config.rateLimit().perMinute()).isEqualTo(Map.of("auth", 10, "default", 1000));
    assertThat(config.rateLimit().trustedProxies()).isEmpty();
    assertThat(config.benchCeilingRoute()).isFalse();
    assertThat(config.http().effectiveInstances())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  @DisplayName("takes SEXTANT_ + the key path in upper snake case, plus DATABASE_URL and REDIS_URL")
  void environmentOverrides(Vertx vertx) {
    SextantConfig config = ConfigLoader.load(vertx, Map.of(
        "SEXTANT_HTTP_PORT", "9999",
        "SEXTANT_HTTP_INSTANCES", "3",
        "SEXTANT_HTTP_ACCESS_LOG", "false",
        "SEXTANT_HTTP_SHUTDOWN_TIMEOUT_MS", " 20000 ",
        "SEXTANT_DATA_DIR", "/tmp/elsewhere",
        "SEXTANT_ADMIN_TOKEN", "s3cret-admin",
        "SEXTANT_RATELIMIT_AUTH_PER_MINUTE", "7",
        "SEXTANT_RATELIMIT_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.2",
        "DATABASE_URL", "postgresql://u:p@db:5432/sextant",
        "REDIS_URL", "redis://cache:6379")).await();
    assertThat(config.http().port()).isEqualTo(9999);
    assertThat(config.http().effectiveInstances()).isEqualTo(3);
    assertThat(config.http().accessLog()).isFalse();
    assertThat(config.http().shutdownTimeoutMs()).isEqualTo(20_000L);
    assertThat(config.dataDir()).isEqualTo("/tmp/elsewhere");
    assertThat(config.adminToken()).isEqualTo("s3cret-admin");
    assertThat(config.rateLimit().perMinute()).isEqualTo(Map.of("auth", 7, "default", 1000));
    assertThat(config.rateLimit().trustedProxies()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(config.database().url()).isEqualTo("postgresql://u:p@db:5432/sextant");
    assertThat(config.redis().url()).isEqualTo("redis://cache:6379");
  }

  @Test
  @DisplayName("lets DATABASE_URL win over SEXTANT_DATABASE_URL, and reads an empty secret as none")
  void urlVariables(Vertx vertx) {
    SextantConfig config = ConfigLoader.load(vertx, Map.of(
        "SEXTANT_DATABASE_URL", "postgresql://db-a/x",
        "DATABASE_URL", "postgresql://db-b/x",
        "SEXTANT_REDIS_URL", "redis://cache-a",
        "SEXTANT_ADMIN_TOKEN", " ")).await();
    assertThat(config.database().url()).isEqualTo("postgresql://db-b/x");
    assertThat(config.redis().url()).isEqualTo("redis://cache-a");
    assertThat(config.adminToken()).isNull();
  }

  @Test
  @DisplayName("refuses an override of the wrong type, naming the variable")
  void wrongTypeInEnvironment(Vertx vertx) {
    assertRefused(vertx, Map.of("SEXTANT_HTTP_PORT", "eighty"), "SEXTANT_HTTP_PORT", "whole number");
    assertRefused(vertx, Map.of("SEXTANT_HTTP_PORT", "80.5"), "SEXTANT_HTTP_PORT", "whole number");
    assertRefused(vertx, Map.of("SEXTANT_HTTP_ACCESS_LOG", "yes"), "SEXTANT_HTTP_ACCESS_LOG", "true or false");
    assertRefused(vertx, Map.of("SEXTANT_HTTP_PORT", "99999999999"), "SEXTANT_HTTP_PORT", "2147483647");
    assertRefused(vertx, Map.of("SEXTANT_DATABASE_POOL_SIZE", "-1"), "SEXTANT_DATABASE_POOL_SIZE", "from 0");
  }

  @Test
  @DisplayName("layers the file SEXTANT_CONFIG names over the defaults, and the environment over both")
  void fileLayering(Vertx vertx) throws IOException {
    Path file = write("""
        http:
          port: 9000
          host: 127.0.0.1
        ratelimit:
          trusted_proxies: "10.1.1.1"
          default:
            per_minute: 50
        cache:
          near_cache_max_entries: 5000000000
        admin:
          token:
        """);
    SextantConfig config = ConfigLoader.load(vertx, Map.of(
        "SEXTANT_CONFIG", file.toString(),
        "SEXTANT_HTTP_PORT", "9100")).await();
    assertThat(config.http().port()).isEqualTo(9100);
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().bodyLimitBytes()).isEqualTo(1_048_576);
    assertThat(config.rateLimit().perMinute()).isEqualTo(Map.of("auth", 10, "default", 50));
    assertThat(config.rateLimit().trustedProxies()).containsExactly("10.1.1.1");
    assertThat(config.cache().nearCacheMaxEntries()).isEqualTo(5_000_000_000L);
    assertThat(config.adminToken()).isNull();
  }

  @Test
  @DisplayName("accepts a file with nothing but comments")
  void commentsOnlyFile(Vertx vertx) throws IOException {
    Path file = write("# nothing to change yet\n");
    SextantConfig config = ConfigLoader.load(vertx, Map.of("SEXTANT_CONFIG", file.toString())).await();
    assertThat(config).isEqualTo(ConfigLoader.load(vertx, Map.of()).await());
  }

  @Test
  @DisplayName("refuses a key the defaults do not have, naming it and the file")
  void unknownKeyInFile(Vertx vertx) throws IOException {
    Path typo = write("http:\n  prot: 9000\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", typo.toString()), "http.prot", typo.toString());
    Path group = write("ratelimit:\n  ingest:\n    per_minute: 5\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", group.toString()), "ratelimit.ingest", "unknown key");
  }

  @Test
  @DisplayName("refuses a value of the wrong type in the file, naming the key")
  void wrongTypeInFile(Vertx vertx) throws IOException {
    Path text = write("http:\n  port: eighty\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", text.toString()), "http.port", "whole number");
    Path decimal = write("http:\n  port: 80.5\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", decimal.toString()), "http.port", "whole number");
    Path flag = write("cache:\n  enabled: 1\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", flag.toString()), "cache.enabled", "true or false");
    Path section = write("http: 8080\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", section.toString()), "http", "section");
    Path tooLarge = write("http:\n  port: 99999999999\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", tooLarge.toString()), "http.port", "2147483647");
  }

  @Test
  @DisplayName("reads the schedules of the job kinds, their off-peak window and time zone")
  void schedules(Vertx vertx) throws IOException {
    JobsConfig defaults = ConfigLoader.load(vertx, Map.of()).await().jobs();
    assertThat(defaults.schedules()).containsExactly(
        new Schedule("dashboard_rollup", "* * * * *", false),
        new Schedule("retention", "0 3 * * *", true));
    assertThat(defaults.heavyKinds()).containsExactly("retention");
    assertThat(defaults.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(defaults.offPeak()).isEqualTo(new OffPeak(LocalTime.of(2, 0), LocalTime.of(5, 0)));
    assertThat(defaults.offPeakAt(Instant.parse("2026-12-02T03:00:00Z"))).isTrue();
    assertThat(defaults.offPeakAt(Instant.parse("2026-12-02T05:00:00Z"))).isFalse();
    assertThat(defaults.offPeakAt(Instant.parse("2026-12-02T14:00:00Z"))).isFalse();

    Path file = write("""
        jobs:
          time_zone: Europe/Paris
          off_peak:
            start: "22:00"
            end: "04:00"
          schedules:
            retention:
              cron: ""
        """);
    JobsConfig changed = ConfigLoader.load(vertx, Map.of("SEXTANT_CONFIG", file.toString(),
        "SEXTANT_JOBS_SCHEDULES_DASHBOARD_ROLLUP_HEAVY", "true")).await().jobs();
    assertThat(changed.schedules()).containsExactly(
        new Schedule("dashboard_rollup", "* * * * *", true),
        new Schedule("retention", "", true));
    assertThat(changed.schedules().get(1).scheduled()).isFalse();
    // 23:30 and 02:00 in Paris (UTC+1 in December) are inside a window spanning midnight
    assertThat(changed.offPeakAt(Instant.parse("2026-12-02T22:30:00Z"))).isTrue();
    assertThat(changed.offPeakAt(Instant.parse("2026-12-03T01:00:00Z"))).isTrue();
    assertThat(changed.offPeakAt(Instant.parse("2026-12-03T03:00:00Z"))).isFalse();
    assertThat(changed.offPeakAt(Instant.parse("2026-12-02T14:00:00Z"))).isFalse();
  }

  @Test
  @DisplayName("refuses to start with a bad cron expression, off-peak time or time zone, naming the key")
  void badSchedule(Vertx vertx) throws IOException {
    assertRefused(vertx, Map.of("SEXTANT_JOBS_SCHEDULES_RETENTION_CRON", "0 25 * * *"),
        "jobs.schedules.retention.cron", "SEXTANT_JOBS_SCHEDULES_RETENTION_CRON", "cron expression");
    Path file = write("jobs:\n  schedules:\n    dashboard_rollup:\n      cron: \"every minute\"\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", file.toString()),
        "jobs.schedules.dashboard_rollup.cron", "'every minute'");
    assertRefused(vertx, Map.of("SEXTANT_JOBS_OFF_PEAK_START", "2am"), "jobs.off_peak.start", "time of day");
    assertRefused(vertx, Map.of("SEXTANT_JOBS_TIME_ZONE", "Mars/Olympus"), "jobs.time_zone", "time zone");
    Path kind = write("jobs:\n  schedules:\n    evaluator:\n      cron: \"* * * * *\"\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", kind.toString()), "jobs.schedules.evaluator", "unknown key");
  }

  @Test
  @DisplayName("reads the cluster's members, and refuses a member without a port or a port past 65535")
  void clusterSettings(Vertx vertx) {
    SextantConfig config = ConfigLoader.load(vertx, Map.of("SEXTANT_CLUSTER_ENABLED", "true",
        "SEXTANT_CLUSTER_MEMBERS", " 10.0.0.2:5701, sx-3:5702 ,")).await();
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().members()).containsExactly("10.0.0.2:5701", "sx-3:5702");
    assertRefused(vertx, Map.of("SEXTANT_CLUSTER_MEMBERS", "10.0.0.2"), "cluster.members", "host:port");
    assertRefused(vertx, Map.of("SEXTANT_CLUSTER_MEMBERS", "a:1,b:70000"), "cluster.members", "host:port");
    assertRefused(vertx, Map.of("SEXTANT_CLUSTER_PORT", "65536"), "cluster.port", "65535");
  }

  @Test
  @DisplayName("traces nothing by default; reads the telemetry keys, the ratio as a decimal from a file or a variable")
  void telemetry(Vertx vertx) throws IOException {
    SextantConfig.TelemetryConfig off = ConfigLoader.load(vertx, Map.of()).await().telemetry();
    assertThat(off.enabled()).isFalse();
    assertThat(off.samplingRatio()).isEqualTo(1.0);
    assertThat(off.otlpHeaders()).isEmpty();
    SextantConfig.TelemetryConfig on = ConfigLoader.load(vertx, Map.of(
        "SEXTANT_TELEMETRY_OTLP_ENDPOINT", " https://collector:4318/v1/traces ",
        "SEXTANT_TELEMETRY_OTLP_HEADERS", "Authorization=Bearer a=b, X-Scope = team-1",
        "SEXTANT_TELEMETRY_SAMPLING_RATIO", "0.01")).await().telemetry();
    assertThat(on.enabled()).isTrue();
    assertThat(on.otlpEndpoint()).isEqualTo("https://collector:4318/v1/traces");
    assertThat(on.otlpHeaders()).isEqualTo(Map.of("Authorization", "Bearer a=b", "X-Scope", "team-1"));
    assertThat(on.samplingRatio()).isEqualTo(0.01);
    Path whole = write("telemetry:\n  sampling_ratio: 0\n");
    assertThat(ConfigLoader.load(vertx, Map.of("SEXTANT_CONFIG", whole.toString())).await()
        .telemetry().samplingRatio()).isZero();
    Path decimal = write("telemetry:\n  sampling_ratio: 0.25\n");
    assertThat(ConfigLoader.load(vertx, Map.of("SEXTANT_CONFIG", decimal.toString())).await()
        .telemetry().samplingRatio()).isEqualTo(0.25);
  }

  @Test
  @DisplayName("refuses a telemetry endpoint that is no http(s) URL, a ratio outside 0..1 and headers without a name, naming the key")
  void badTelemetry(Vertx vertx) throws IOException {
    assertRefused(vertx, Map.of("SEXTANT_TELEMETRY_OTLP_ENDPOINT", "collector:4318"),
        "telemetry.otlp_endpoint", "SEXTANT_TELEMETRY_OTLP_ENDPOINT", "URL");
    assertRefused(vertx, Map.of("SEXTANT_TELEMETRY_SAMPLING_RATIO", "1.5"),
        "telemetry.sampling_ratio", "from 0 to 1");
    assertRefused(vertx, Map.of("SEXTANT_TELEMETRY_SAMPLING_RATIO", "one half"),
        "SEXTANT_TELEMETRY_SAMPLING_RATIO", "a number");
    Path negative = write("telemetry:\n  sampling_ratio: -0.5\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", negative.toString()), "telemetry.sampling_ratio");
    assertRefused(vertx, Map.of("SEXTANT_TELEMETRY_OTLP_HEADERS", "Bearer abc"),
        "telemetry.otlp_headers", "Name=value");
    assertRefused(vertx, Map.of("SEXTANT_TELEMETRY_SERVICE_NAME", " "), "telemetry.service_name");
    assertRefused(vertx, Map.of("SEXTANT_TELEMETRY_EXPORT_DELAY_MS", "0"), "telemetry.export_delay_ms");
  }

  @Test
  @DisplayName("refuses a SEXTANT_CONFIG that names no file, or a file that is not YAML keys")
  void badFile(Vertx vertx) throws IOException {
    String missing = dir.resolve("absent.yaml").toString();
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", missing), "SEXTANT_CONFIG", missing);
    Path list = write("- http\n- port\n");
    assertRefused(vertx, Map.of("SEXTANT_CONFIG", list.toString()), list.toString(), "YAML");
  }

  @Test
  @DisplayName("reaches the typed config from every key of the shipped file, each set by its variable")
  void everyKeyReachesTheTypedConfig(Vertx vertx) {
    SextantConfig defaults = ConfigLoader.load(vertx, Map.of()).await();
    List<String> unreached = new ArrayList<>();
    leaves(ConfigLoader.readDefaults(vertx).await(), "").forEach((path, value) -> {
      // a key with a syntax of its own needs another valid value, not the default with an x
      String changed = OTHER_VALID.containsKey(path) ? OTHER_VALID.get(path)
          : value instanceof Boolean b ? Boolean.toString(!b)
          : value instanceof Number n ? Long.toString(n.longValue() + 1)
          : value + "x";
      SextantConfig config = ConfigLoader.load(vertx,
          Map.of(ConfigReader.variable(path), changed)).await();
      if (config.equals(defaults)) {
        unreached.add(path);
      }
    });
    assertThat(unreached).isEmpty();
  }

  @Test
  @DisplayName("has no default in Java: without any one key of the shipped file, it refuses to load, naming the key")
  void everyKeyIsRequired(Vertx vertx) {
    JsonObject defaults = ConfigLoader.readDefaults(vertx).await();
    List<String> optional = new ArrayList<>();
    for (String path : leaves(defaults, "").keySet()) {
      JsonObject without = defaults.copy();
      JsonObject parent = without;
      String[] keys = path.split("\\.");
      for (int i = 0; i < keys.length - 1; i++) {
        parent = parent.getJsonObject(keys[i]);
      }
      parent.remove(keys[keys.length - 1]);
      try {
        SextantConfig.fromJson(without);
        optional.add(path);
      } catch (ConfigException e) {
        assertThat(e).hasMessageContaining(path);
      }
    }
    assertThat(optional).isEmpty();
  }

  private static void assertRefused(Vertx vertx, Map<String, String> env, String... named) {
    assertThatThrownBy(() -> ConfigLoader.load(vertx, env).await())
        .isInstanceOf(ConfigException.class)
        .message().contains(named);
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "sextant", ".yaml"), yaml);
  }

  /** Every leaf of {@code json} by its dotted path. */
  private static Map<String, Object> leaves(JsonObject json, String prefix) {
    Map<String, Object> leaves = new LinkedHashMap<>();
    for (String key : json.fieldNames()) {
      if (json.getValue(key) instanceof JsonObject section) {
        leaves.putAll(leaves(section, prefix + key + "."));
      } else {
        leaves.put(prefix + key, json.getValue(key));
      }
    }
    return leaves;
  }
}
