package dev.sextant.ops;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.Await;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every metric that conf/prometheus/rules.yml and conf/grafana/sextant.json read is served by a
 * running instance, so that renaming a meter cannot silently break an alert or a panel.
 */
@DisplayName("Alerting rules and the dashboard")
@ExtendWith(ServerExtension.class)
class MetricNamesTest {

  private static final Path RULES = Path.of("conf", "prometheus", "rules.yml");
  /** Series Prometheus itself writes for each scrape. */
  private static final Set<String> PROMETHEUS_OWN =
      Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");
  private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum");

  @Injected private static ApiClient api;

  @Test
  @DisplayName("read only metrics that /metrics serves, or that the rules record")
  void everyMetricExists() throws IOException {
    List<Map<String, Object>> rules = rules();
    Set<String> recorded = rules.stream().filter(r -> r.containsKey("record"))
        .map(r -> (String) r.get("record")).collect(Collectors.toSet());
    // name -> where it is read
    Map<String, String> used = new TreeMap<>();
    for (Map<String, Object> rule : rules) {
      String where = "rules.yml " + rule.getOrDefault("alert", rule.get("record"));
      PromQlNames.of(String.valueOf(rule.get("expr"))).forEach(n -> used.putIfAbsent(n, where));
    }
    for (Map.Entry<String, String> query : DashboardQueries.read().entrySet()) {
      PromQlNames.of(query.getKey()).forEach(n -> used.putIfAbsent(n, query.getValue()));
    }
    assertThat(used).containsKeys("vertx_http_server_requests_total", "sextant_jobs_dead",
        "jvm_gc_pause_seconds_sum", "sextant_cache_hits_total", "job:slo_errors:ratio_rate1h");

    provokeLazyMeters();
    Map<String, String> missing = new TreeMap<>();
    try {
      Await.until(Duration.ofSeconds(30), () -> {
        missing.clear();
        Exposition exposition = Exposition.of(api.get("/metrics", null).body());
        used.forEach((name, where) -> {
          if (!recorded.contains(name) && !PROMETHEUS_OWN.contains(name) && !exposition.serves(name)) {
            missing.put(name, where);
          }
        });
        return missing.isEmpty();
      }, "every metric the rules and the dashboard read");
    } catch (AssertionError timedOut) {
      throw new AssertionError("not served by /metrics (name=where it is read): " + missing, timedOut);
    }
  }

  /**
   * Meters created on first use: the caches' counters (a trace read twice), the limiter's
   * decisions, the pools' and Redis client's timers, and the GC pause timer (after a collection).
   */
  private static void provokeLazyMeters() {
    String key = api.newProjectKey();
    String id = UUID.randomUUID().toString();
    assertThat(api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", id).put("name", "m"))))
        .status()).isEqualTo(207);
    assertThat(api.get("/api/v1/traces/" + id, key).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/traces/" + id, key).status()).isEqualTo(200);
    assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
    System.gc();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() throws IOException {
    Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(RULES));
    List<Map<String, Object>> groups = (List<Map<String, Object>>) file.get("groups");
    return groups.stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
  }

  /** The sample names and declared types of a Prometheus text exposition. */
  private record Exposition(Set<String> samples, Map<String, String> types) {

    static Exposition of(String text) {
      Set<String> samples = new TreeSet<>();
      Map<String, String> types = new HashMap<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("# TYPE ")) {
          String[] parts = line.split(" ");
          types.put(parts[2], parts[3]);
        } else if (!line.isBlank() && !line.startsWith("#")) {
          int end = line.indexOf('{');
          samples.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
        }
      }
      return new Exposition(samples, types);
    }

    /** A sample of that name, or the histogram or summary that {@code _bucket/_count/_sum} belongs to. */
    boolean serves(String name) {
      if (samples.contains(name)) {
        return true;
      }
      return HISTOGRAM_SUFFIXES.stream().filter(name::endsWith)
          .map(suffix -> name.substring(0, name.length() - suffix.length()))
          // a base not served yet has no type: not served (Set.of refuses to look up null)
          .map(types::get)
          .anyMatch(type -> "histogram".equals(type) || "summary".equals(type));
    }
  }
}
