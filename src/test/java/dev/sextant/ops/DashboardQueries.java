package dev.sextant.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The PromQL of conf/grafana/sextant.json: every panel target's {@code expr} and every variable's query. */
final class DashboardQueries {

  static final Path DASHBOARD = Path.of("conf", "grafana", "sextant.json");

  private DashboardQueries() {}

  /** Each query with where it is (panel title or variable name). */
  static Map<String, String> read() throws IOException {
    return collect(new JsonObject(Files.readString(DASHBOARD)), "sextant.json");
  }

  /**
   * The query as Prometheus would receive it: Grafana's variables replaced by values of the kind
   * they stand for. {@code label_values(…)} (Grafana's, not PromQL) is left to the caller.
   */
  static String substituted(String query) {
    return query.replace("$__rate_interval", "1m").replace("${instance}", ".*")
        .replace("$instance", ".*").replace("$job", "sextant");
  }

  private static Map<String, String> collect(Object node, String where) {
    Map<String, String> queries = new LinkedHashMap<>();
    if (node instanceof JsonObject object) {
      String here = object.containsKey("title") ? where + " \"" + object.getString("title") + "\""
          : object.containsKey("name") ? where + " $" + object.getValue("name") : where;
      object.forEach(e -> {
        if (e.getKey().equals("expr") && e.getValue() instanceof String expr) {
          queries.put(expr, here);
        } else if (e.getKey().equals("query") && e.getValue() instanceof JsonObject q
            && q.getValue("query") instanceof String expr) {
          queries.put(expr, here);
        } else {
          queries.putAll(collect(e.getValue(), here));
        }
      });
    } else if (node instanceof JsonArray array) {
      array.forEach(item -> queries.putAll(collect(item, where)));
    }
    return queries;
  }
}
