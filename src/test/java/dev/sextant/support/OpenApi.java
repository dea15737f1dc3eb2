package dev.sextant.support;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docs/openapi.yaml} held against what the server does. Every answer a test receives through
 * {@link ApiClient} is checked here: its operation and status must be documented (by number, or by
 * the operation's {@code default}), and a JSON body must validate against the documented schema
 * (JSON Schema 2020-12, OpenAPI 3.1's dialect). Each (operation, documented status) seen is
 * appended to {@link #COVERAGE_DIR}, which {@code OpenApiCoverageIT} reads after the whole suite
 * to require that every documented error status was produced by some test.
 */
public final class OpenApi {

  public static final Path DOCUMENT = Path.of("docs", "openapi.yaml");
  public static final Path COVERAGE_DIR = Path.of("target", "openapi-coverage");
  private static final String BASE = "https://sextant.test/openapi.yaml";
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

  /** One operation of the document. */
  public record Operation(String method, String template, String id, Pattern pattern,
      Map<String, Object> responses, boolean secured) {}

  private static OpenApi instance;

  private final Map<String, Object> tree;
  private final List<Operation> operations = new ArrayList<>();
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final Set<String> recorded = ConcurrentHashMap.newKeySet();
  private final Path coverageFile;

  private OpenApi() {
    String text = read(DOCUMENT);
    this.tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemas(Map.of(BASE, text)));
    for (Map.Entry<String, Object> path : map(tree, "paths").entrySet()) {
      for (Map.Entry<String, Object> op : asMap(path.getValue()).entrySet()) {
        if (METHODS.contains(op.getKey())) {
          Map<String, Object> operation = asMap(op.getValue());
          operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(),
              (String) operation.get("operationId"), pattern(path.getKey()),
              map(operation, "responses"), isSecured(operation)));
        }
      }
    }
    this.coverageFile = COVERAGE_DIR.resolve(ProcessHandle.current().pid() + ".txt");
  }

  public static synchronized OpenApi document() {
    if (instance == null) {
      instance = new OpenApi();
    }
    return instance;
  }

  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** The operation a request is answered by; null when no path of the document matches. */
  public Operation find(String method, String path) {
    String m = method.equals("HEAD") ? "GET" : method;
    Operation byPattern = null;
    for (Operation op : operations) {
      if (op.method().equals(m) && op.pattern().matcher(path).matches()) {
        if (op.template().equals(path)) {
          return op; // a literal path wins over a template (/traces/stats over /traces/{id})
        }
        byPattern = byPattern == null ? op : byPattern;
      }
    }
    return byPattern;
  }

  /**
   * Checks one answer against the document. An answer to a path the document does not have is
   * left alone when it is 404 or 405 (tests probe such paths on purpose).
   */
  public void check(String method, String path, int status, String contentType, byte[] body) {
    Operation op = find(method, path);
    if (op == null) {
      boolean documentedPath = operations.stream().anyMatch(o -> o.pattern().matcher(path).matches());
      if (status == 404 || status == 405 || status >= 500 || documentedPath) {
        return; // unknown route or method, or a method the path does not take
      }
      throw new AssertionError("not in docs/openapi.yaml: " + method + " " + path + " answered " + status);
    }
    String code = Integer.toString(status);
    Object response = op.responses().containsKey(code) ? op.responses().get(code) : op.responses().get("default");
    if (response == null) {
      throw new AssertionError("docs/openapi.yaml: " + op.id() + " does not document status " + status);
    }
    if (op.responses().containsKey(code)) {
      record(op.id() + " " + code);
    }
    if (body.length == 0 || contentType == null || method.equals("HEAD")) {
      return;
    }
    String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    String pointer = "/paths/" + escape(op.template()) + "/" + op.method().toLowerCase(Locale.ROOT)
        + "/responses/" + (op.responses().containsKey(code) ? code : "default");
    Map<String, Object> content = content(resolve(response));
    if (content == null || !content.containsKey(mediaType)) {
      throw new AssertionError("docs/openapi.yaml: " + op.id() + " " + code + " does not document "
          + mediaType);
    }
    if (!mediaType.endsWith("json")) {
      return;
    }
    Schema schema = schemaAt(responsePointer(pointer, response) + "/content/" + escape(mediaType) + "/schema");
    List<Error> errors = schema.validate(new String(body, StandardCharsets.UTF_8), InputFormat.JSON);
    if (!errors.isEmpty()) {
      throw new AssertionError("answer of " + method + " " + path + " (" + status
          + ") does not match docs/openapi.yaml: " + errors + "\n" + new String(body, StandardCharsets.UTF_8));
    }
  }

  /** Where the response object lives: the operation's own, or the component it refers to. */
  private static String responsePointer(String pointer, Object response) {
    Object ref = asMap(response).get("$ref");
    return ref == null ? pointer : ((String) ref).substring(1);
  }

  private Schema schemaAt(String pointer) {
    return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(BASE + "#" + p)));
  }

  private Map<String, Object> resolve(Object response) {
    Object ref = asMap(response).get("$ref");
    if (ref == null) {
      return asMap(response);
    }
    Object node = tree;
    for (String part : ((String) ref).substring(2).split("/")) {
      node = asMap(node).get(part.replace("~1", "/").replace("~0", "~"));
    }
    return asMap(node);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> content(Map<String, Object> response) {
    return (Map<String, Object>) response.get("content");
  }

  private synchronized void record(String line) {
    if (!recorded.add(line)) {
      return;
    }
    try {
      if (Files.notExists(coverageFile)) {
        clearEarlierRuns();
      }
      Files.writeString(coverageFile, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This run writes the record afresh: what earlier runs saw does not count. */
  private void clearEarlierRuns() throws IOException {
    Files.createDirectories(COVERAGE_DIR);
    try (var files = Files.list(COVERAGE_DIR)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
  }

  /** Every (operationId, status) the document lists as an error answer, 4xx and 5xx. */
  public Set<String> documentedErrors() {
    Set<String> all = new java.util.TreeSet<>();
    for (Operation op : operations) {
      for (String code : op.responses().keySet()) {
        if (code.matches("[45]\\d\\d")) {
          all.add(op.id() + " " + code);
        }
      }
    }
    return all;
  }

  /** Whether the operation needs credentials: a non-empty security requirement of its own. */
  private static boolean isSecured(Map<String, Object> operation) {
    Object security = operation.get("security");
    return security instanceof List<?> list && !list.isEmpty();
  }

  /** {@code /a/{id}/b} as a regular expression matching one segment per parameter. */
  static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  private static String escape(String pointerPart) {
    return pointerPart.replace("~", "~0").replace("/", "~1");
  }

  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    return asMap(parent.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
