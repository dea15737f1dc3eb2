package dev.sextant.config;

import dev.sextant.common.ClasspathText;
import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the configuration in layers, later ones winning:
 * <ol>
 *   <li>the defaults: {@code conf/sextant.yaml} inside the jar, the one place every key and its
 *       default are written;</li>
 *   <li>an optional YAML file: the one named by {@code SEXTANT_CONFIG}, else
 *       {@code conf/sextant.yaml} in the working directory if there is one. It may only set keys
 *       the defaults have, each with the kind of value of its default;</li>
 *   <li>the environment: {@code SEXTANT_} plus a key's path in upper snake case
 *       ({@code http.port} → {@code SEXTANT_HTTP_PORT}); {@code DATABASE_URL} and
 *       {@code REDIS_URL} set {@code database.url} and {@code redis.url}.</li>
 * </ol>
 * A key the defaults do not know, or a value of the wrong kind, fails the load with a
 * {@link ConfigException} naming the key or variable, so a typo stops the start instead of being
 * ignored.
 */
public final class ConfigLoader {

  /** The defaults on the classpath, and the optional file looked for in the working directory. */
  static final String DEFAULTS = "conf/sextant.yaml";
  private static final String LOCAL_FILE = "conf/sextant.yaml";

  private ConfigLoader() {}

  /**
   * The configuration from the defaults, the optional file and {@code env}, or a failed future
   * with a {@link ConfigException}. Files are read off the event loop.
   */
  public static Future<SextantConfig> load(Vertx vertx, Map<String, String> env) {
    String named = env.getOrDefault("SEXTANT_CONFIG", "");
    String file = named.isBlank() ? LOCAL_FILE : named;
    return Future.all(readDefaults(vertx), readFile(vertx, file, !named.isBlank()))
        .map(layers -> {
          JsonObject merged = overlayFile(layers.resultAt(0), layers.resultAt(1), file, "");
          return SextantConfig.fromJson(overlayEnvironment(merged, env));
        });
  }

  /**
   * The shipped defaults, read from the classpath: a {@code conf/sextant.yaml} in the working
   * directory is the overriding file, never the defaults.
   */
  static Future<JsonObject> readDefaults(Vertx vertx) {
    return vertx.executeBlocking(() -> Buffer.buffer(ClasspathText.read(DEFAULTS)))
        .compose(yaml -> parseYaml(vertx, yaml, "the built-in " + DEFAULTS));
  }

  /** The overriding file, or nothing when it is absent and {@code required} is false. */
  private static Future<JsonObject> readFile(Vertx vertx, String file, boolean required) {
    return vertx.executeBlocking(() -> {
      Path path = Path.of(file);
      if (!Files.isRegularFile(path)) {
        if (required) {
          throw new ConfigException("SEXTANT_CONFIG names " + file + ", which is not a readable file");
        }
        return Buffer.buffer();
      }
      try {
        return Buffer.buffer(Files.readAllBytes(path));
      } catch (IOException e) {
        throw new ConfigException(file + " cannot be read: " + e.getMessage());
      }
    }).compose(yaml -> parseYaml(vertx, yaml, file));
  }

  private static Future<JsonObject> parseYaml(Vertx vertx, Buffer yaml, String source) {
    return new YamlProcessor().process(vertx, null, yaml)
        .map(json -> json == null ? new JsonObject() : json) // a file of nothing but comments
        .recover(e -> Future.failedFuture(new ConfigException(source + " is not a YAML map of keys: "
            + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()))));
  }

  /**
   * Returns {@code defaults} with the values of {@code file} in their place. A key the defaults
   * lack, or a value whose kind differs from its default's, is refused naming the key.
   */
  private static JsonObject overlayFile(JsonObject defaults, JsonObject file, String source, String prefix) {
    JsonObject merged = defaults.copy();
    for (String key : file.fieldNames()) {
      String path = prefix + key;
      if (!defaults.containsKey(key)) {
        throw new ConfigException(source + ": unknown key " + path
            + " (a file may set only the keys of the built-in " + DEFAULTS + ")");
      }
      Object base = defaults.getValue(key);
      Object value = file.getValue(key);
      Kind kind = Kind.of(base);
      if (Kind.of(value) != kind && !(kind == Kind.DECIMAL && Kind.of(value) == Kind.WHOLE_NUMBER)) {
        throw new ConfigException(source + ": " + path + " must be " + kind.description
            + ", got " + describe(value));
      }
      merged.put(key, value instanceof JsonObject section
          ? overlayFile((JsonObject) base, section, source, path + ".")
          : value);
    }
    return merged;
  }

  /**
   * Returns a copy of {@code json} with each leaf whose variable is set replaced, read as the kind
   * of value it replaces.
   */
  private static JsonObject overlayEnvironment(JsonObject json, Map<String, String> env) {
    JsonObject result = json.copy();
    overlay(result, "", env);
    putIfPresent(result.getJsonObject("database"), "url", env.get("DATABASE_URL"));
    putIfPresent(result.getJsonObject("redis"), "url", env.get("REDIS_URL"));
    return result;
  }

  private static void overlay(JsonObject node, String prefix, Map<String, String> env) {
    for (String key : node.fieldNames()) {
      Object value = node.getValue(key);
      if (value instanceof JsonObject section) {
        overlay(section, prefix + key + ".", env);
        continue;
      }
      String variable = ConfigReader.variable(prefix + key);
      String raw = env.get(variable);
      if (raw != null) {
        node.put(key, fromVariable(variable, raw, Kind.of(value)));
      }
    }
  }

  private static Object fromVariable(String variable, String raw, Kind kind) {
    String value = raw.trim();
    Object parsed = switch (kind) {
      case TEXT -> raw;
      case WHOLE_NUMBER -> value.matches("-?\\d{1,18}") ? Long.valueOf(value) : null;
      case DECIMAL -> value.matches("\\d{1,9}(\\.\\d{1,9})?") ? Double.valueOf(value) : null;
      case BOOLEAN -> value.equals("true") || value.equals("false") ? Boolean.valueOf(value) : null;
      default -> throw new ConfigException(variable + " cannot be set from the environment: its key holds "
          + kind.description);
    };
    if (parsed == null) {
      throw new ConfigException(variable + " must be " + kind.description + ", got '" + raw + "'");
    }
    return parsed;
  }

  private static void putIfPresent(JsonObject section, String key, String value) {
    if (section != null && value != null && !value.isBlank()) {
      section.put(key, value);
    }
  }

  /** A value as a message shows it: text quoted, a section as such. */
  static String describe(Object value) {
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    return value instanceof JsonObject ? "a section of keys" : String.valueOf(value);
  }

  /** The kinds of value a key holds; a file or a variable must give a key the kind of its default. */
  private enum Kind {
    SECTION("a section of keys"),
    WHOLE_NUMBER("a whole number"),
    DECIMAL("a number"),
    BOOLEAN("true or false"),
    TEXT("text"),
    OTHER("a list");

    final String description;

    Kind(String description) {
      this.description = description;
    }

    static Kind of(Object value) {
      if (value == null || value instanceof String) {
        return TEXT; // `token:` with nothing after it: empty text
      } else if (value instanceof JsonObject) {
        return SECTION;
      } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
        return WHOLE_NUMBER;
      } else if (value instanceof Double || value instanceof Float) {
        return DECIMAL;
      } else if (value instanceof Boolean) {
        return BOOLEAN;
      }
      return OTHER;
    }
  }
}
