package dev.sextant.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the configuration in layers: the defaults shipped inside the jar ({@code conf/sextant.yaml}),
 * then {@code conf/sextant.yaml} in the working directory (or the file named by
 * {@code SEXTANT_CONFIG}), then the environment.
 *
 * <p>Every key is overridable by an environment variable named {@code SEXTANT_} plus its path in upper
 * snake case ({@code http.port} becomes {@code SEXTANT_HTTP_PORT}); {@code DATABASE_URL} and
 * {@code REDIS_URL} set {@code database.url} and {@code redis.url}. Overrides keep the type of the
 * default they replace, so a non-numeric port is refused at start-up instead of failing later.
 */
public final class ConfigLoader {

  private static final String DEFAULT_FILE = "conf/sextant.yaml";

  private ConfigLoader() {}

  public static Future<SextantConfig> load(Vertx vertx, Map<String, String> env) {
    String file = env.getOrDefault("SEXTANT_CONFIG", DEFAULT_FILE);
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .addStore(yaml(DEFAULT_FILE, false))
        .addStore(yaml(file, true));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(json -> SextantConfig.fromJson(applyEnvironment(json, env)));
  }

  private static ConfigStoreOptions yaml(String path, boolean optional) {
    return new ConfigStoreOptions()
        .setType("file")
        .setFormat("yaml")
        .setOptional(optional)
        .setConfig(new JsonObject().put("path", path));
  }

  /** Returns a copy of {@code json} with every leaf replaced by its environment override, if any. */
  static JsonObject applyEnvironment(JsonObject json, Map<String, String> env) {
    JsonObject result = json.copy();
    overlay(result, "SEXTANT", env);
    putIfPresent(result, "database", "url", env.get("DATABASE_URL"));
    putIfPresent(result, "redis", "url", env.get("REDIS_URL"));
    return result;
  }

  private static void overlay(JsonObject node, String prefix, Map<String, String> env) {
    for (String key : node.fieldNames()) {
      String name = prefix + "_" + key.toUpperCase(Locale.ROOT);
      Object value = node.getValue(key);
      if (value instanceof JsonObject child) {
        overlay(child, name, env);
      } else if (!(value instanceof JsonArray) && env.containsKey(name)) {
        node.put(key, coerce(name, env.get(name), value));
      }
    }
  }

  private static Object coerce(String name, String raw, Object template) {
    try {
      if (template instanceof Integer) {
        return Integer.parseInt(raw.trim());
      } else if (template instanceof Long) {
        return Long.parseLong(raw.trim());
      } else if (template instanceof Double || template instanceof Float) {
        return Double.parseDouble(raw.trim());
      } else if (template instanceof Boolean) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
          throw new IllegalArgumentException();
        }
        return Boolean.parseBoolean(v);
      }
      return raw;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + " must be " + typeName(template) + ", got '" + raw + "'");
    }
  }

  private static String typeName(Object template) {
    return template instanceof Boolean ? "true or false" : "a number";
  }

  private static void putIfPresent(JsonObject json, String section, String key, String value) {
    if (value != null && !value.isBlank()) {
      JsonObject target = json.getJsonObject(section);
      if (target == null) {
        target = new JsonObject();
        json.put(section, target);
      }
      target.put(key, value);
    }
  }
}
