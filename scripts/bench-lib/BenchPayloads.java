import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payloads and data loading for scripts/bench. Run with the server jar on the class path (it holds
 * the OTLP proto classes, protobuf-java and Vert.x JSON):
 *
 * <pre>
 *   java -cp target/sextant.jar scripts/bench-lib/BenchPayloads.java otlp OUT.bin
 *   java -cp target/sextant.jar scripts/bench-lib/BenchPayloads.java ingest-template OUT.json
 *   java -cp target/sextant.jar scripts/bench-lib/BenchPayloads.java load BASE_URL API_KEY TRACES
 * </pre>
 *
 * <p>{@code otlp} writes an ExportTraceServiceRequest of 100 spans whose 16-byte trace id is the
 * placeholder {@link #OTLP_PLACEHOLDER} (ASCII), for the wrk script to replace per request.
 * {@code ingest-template} writes a /api/v1/ingest body of 1 trace + 100 spans in which every trace
 * id is {@link #JSON_PLACEHOLDER}. {@code load} ingests TRACES traces of 10 spans each (batches of
 * up to 1000 items, 4 in flight) plus one trace of 3 000 spans, checks that every item was
 * accepted, and prints the ids the read scenarios use.
 */
public final class BenchPayloads {

  static final String OTLP_PLACEHOLDER = "SXTBENCHTRACEID!";
  static final String JSON_PLACEHOLDER = "@@TRACE_ID@@";
  static final String BIG_TRACE_ID = "bench-big-3000";
  static final int BIG_TRACE_SPANS = 3000;
  static final int MAX_BATCH = 1000;

  static final String[] NAMES = {
    "chat", "rag-answer", "summarize", "classify-ticket", "extract-entities", "translate",
    "agent-run", "code-review", "sql-assistant", "search-rerank", "email-draft", "moderation",
    "qa-eval", "embedding-refresh", "doc-ingest", "support-bot", "planner", "router",
    "tool-call", "title-generator"
  };
  static final String[] MODELS = {
    "gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "claude-3-5-haiku", "gemini-1.5-pro",
    "llama-3.1-70b"
  };
  static final String[] KINDS = {"chain", "retrieval", "llm", "tool", "llm", "embedding", "llm",
      "tool", "llm", "other"};

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    switch (args[0]) {
      case "otlp" -> {
        need(args, 2);
        byte[] body = otlpRequest(100).toByteArray();
        Files.write(Path.of(args[1]), body);
        System.out.println("otlp body: " + body.length + " bytes, 100 spans");
      }
      case "ingest-template" -> {
        need(args, 2);
        String body = ingestTemplate(100);
        Files.writeString(Path.of(args[1]), body);
        System.out.println("ingest body: " + body.length() + " bytes, 1 trace + 100 spans");
      }
      case "load" -> {
        need(args, 4);
        load(args[1], args[2], Integer.parseInt(args[3]));
      }
      default -> usage();
    }
  }

  private static void need(String[] args, int n) {
    if (args.length < n) {
      usage();
    }
  }

  private static void usage() {
    System.err.println("usage: BenchPayloads otlp OUT | ingest-template OUT | load BASE_URL API_KEY TRACES");
    System.exit(64);
  }

  // ---------------------------------------------------------------- OTLP

  static ExportTraceServiceRequest otlpRequest(int spans) {
    byte[] traceId = OTLP_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
    long start = Instant.now().truncatedTo(ChronoUnit.MILLIS).toEpochMilli() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("bench.genai").setVersion("1.0.0"));
    for (int i = 0; i < spans; i++) {
      long spanStart = start + i * 20_000_000L;
      long spanEnd = spanStart + (15 + (i * 37) % 400) * 1_000_000L;
      Span.Builder span = Span.newBuilder()
          .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
          .setSpanId(com.google.protobuf.ByteString.copyFrom(spanId(i)))
          .setName(i == 0 ? "chat-session" : "chat " + MODELS[i % MODELS.length])
          .setKind(i == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
          .setStartTimeUnixNano(spanStart)
          .setEndTimeUnixNano(i == 0 ? start + spans * 20_000_000L + 500_000_000L : spanEnd);
      if (i > 0) {
        span.setParentSpanId(com.google.protobuf.ByteString.copyFrom(spanId(0)))
            .addAttributes(kv("gen_ai.operation.name", "chat"))
            .addAttributes(kv("gen_ai.system", "openai"))
            .addAttributes(kv("gen_ai.request.model", MODELS[i % MODELS.length]))
            .addAttributes(kv("gen_ai.usage.input_tokens", 200L + (i * 53) % 1800))
            .addAttributes(kv("gen_ai.usage.output_tokens", 20L + (i * 17) % 400))
            .addAttributes(kv("gen_ai.request.temperature", 0.2))
            .addAttributes(kv("http.route", "/v1/chat/completions"));
        if (i % 40 == 0) {
          span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage("upstream timeout"));
        }
      } else {
        span.addAttributes(kv("user.id", "user-42"))
            .addAttributes(kv("session.id", "session-7"))
            .addAttributes(kv("gen_ai.operation.name", "invoke_agent"));
      }
      scope.addSpans(span);
    }
    ResourceSpans resource = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(kv("service.name", "bench-app"))
            .addAttributes(kv("service.version", "1.4.0"))
            .addAttributes(kv("deployment.environment", "bench")))
        .addScopeSpans(scope)
        .build();
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(resource).build();
  }

  private static byte[] spanId(int i) {
    long v = 0x5E47A17000000000L | (i + 1);
    byte[] b = new byte[8];
    for (int k = 7; k >= 0; k--) {
      b[k] = (byte) (v & 0xff);
      v >>>= 8;
    }
    return b;
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  private static KeyValue kv(String key, double value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
  }

  // ---------------------------------------------------------------- native ingest JSON

  /** 1 trace + {@code spans} spans, every trace id being {@link #JSON_PLACEHOLDER}. */
  static String ingestTemplate(int spans) {
    Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    JsonArray batch = new JsonArray();
    batch.add(traceItem(JSON_PLACEHOLDER, 7, start, spans));
    for (int s = 0; s < spans; s++) {
      batch.add(spanItem(JSON_PLACEHOLDER, 7, s, start));
    }
    return new JsonObject().put("batch", batch).encode();
  }

  static JsonObject traceItem(String id, int n, Instant start, int spans) {
    Instant end = start.plusMillis(spans * 120L + 50 + (n * 31L) % 2000);
    return new JsonObject().put("type", "trace").put("body", new JsonObject()
        .put("id", id)
        .put("name", NAMES[n % NAMES.length])
        .put("user_id", "user-" + (n % 1000))
        .put("session_id", "session-" + (n % 5000))
        .put("release", "1." + (n % 5) + ".0")
        .put("tags", new JsonArray().add("env-" + (n % 3)).add("tier-" + (n % 4)))
        .put("metadata", new JsonObject().put("region", n % 2 == 0 ? "eu-west" : "us-east").put("bench", true))
        .put("input", new JsonObject().put("question", "How do I rotate my API key? (request " + n + ")"))
        .put("output", new JsonObject().put("answer", "Open the project settings, create a new key, then revoke the old one."))
        .put("start_time", start.toString())
        .put("end_time", end.toString())
        .put("status", n % 29 == 0 ? "error" : "ok"));
  }

  static JsonObject spanItem(String traceId, int n, int s, Instant traceStart) {
    String kind = KINDS[s % KINDS.length];
    Instant start = traceStart.plusMillis(s * 120L);
    Instant end = start.plusMillis(10 + (n * 7L + s * 13L) % 900);
    JsonObject body = new JsonObject()
        .put("id", String.format("s%04d", s))
        .put("trace_id", traceId)
        .put("parent_id", s == 0 ? null : "s0000")
        .put("name", kind + "-" + s % 10)
        .put("kind", kind)
        .put("start_time", start.toString())
        .put("end_time", end.toString())
        .put("status", (n + s) % 97 == 0 ? "error" : "ok")
        .put("status_message", (n + s) % 97 == 0 ? "rate limited by provider" : null);
    if ("llm".equals(kind) || "embedding".equals(kind)) {
      long in = 100 + (n * 7L + s * 13L) % 1900;
      long out = "embedding".equals(kind) ? 0 : 10 + (n + s * 3L) % 400;
      body.put("model", MODELS[(n + s) % MODELS.length])
          .put("input_tokens", in)
          .put("output_tokens", out)
          .put("cost_usd", Math.round((in * 0.0000025 + out * 0.00001) * 1e7) / 1e7)
          .put("input", new JsonObject().put("messages", new JsonArray()
              .add(new JsonObject().put("role", "system").put("content", "You are a helpful assistant."))
              .add(new JsonObject().put("role", "user").put("content", "Summarise ticket #" + (n * 100 + s)))))
          .put("output", new JsonObject().put("role", "assistant")
              .put("content", "The customer cannot log in after the password reset; suggest clearing the session."))
          .put("attributes", new JsonObject().put("temperature", 0.2).put("max_tokens", 512));
    } else {
      body.put("input", new JsonObject().put("query", "ticket " + (n * 100 + s)))
          .put("output", new JsonObject().put("hits", 3))
          .put("attributes", new JsonObject().put("component", kind));
    }
    return new JsonObject().put("type", "span").put("body", body);
  }

  // ---------------------------------------------------------------- loading

  static void load(String baseUrl, String key, int traces) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<JsonArray> batches = new ArrayList<>();
    JsonArray current = new JsonArray();
    // traces spread over the last 7 days, newest first
    long stepMs = Math.max(1, Duration.ofDays(7).toMillis() / Math.max(1, traces));
    for (int t = 0; t < traces; t++) {
      String id = String.format("bench-t-%06d", t);
      Instant start = now.minusMillis(t * stepMs + 60_000);
      if (current.size() + 11 > MAX_BATCH) {
        batches.add(current);
        current = new JsonArray();
      }
      current.add(traceItem(id, t, start, 10));
      for (int s = 0; s < 10; s++) {
        current.add(spanItem(id, t, s, start));
      }
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    // the big trace: 1 trace + 3000 spans, in batches of 1000 items
    List<JsonObject> big = new ArrayList<>();
    Instant bigStart = now.minusSeconds(3600);
    big.add(traceItem(BIG_TRACE_ID, 3, bigStart, BIG_TRACE_SPANS));
    for (int s = 0; s < BIG_TRACE_SPANS; s++) {
      JsonObject item = spanItem(BIG_TRACE_ID, 3, s, bigStart);
      JsonObject body = item.getJsonObject("body");
      body.put("start_time", bigStart.plusMillis(s * 10L).toString())
          .put("end_time", bigStart.plusMillis(s * 10L + 5 + s % 7).toString())
          .put("parent_id", s == 0 ? null : String.format("s%04d", (s - 1) / 10));
      big.add(item);
    }
    for (int i = 0; i < big.size(); i += MAX_BATCH) {
      batches.add(new JsonArray(new ArrayList<Object>(big.subList(i, Math.min(big.size(), i + MAX_BATCH)))));
    }

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicLong accepted = new AtomicLong();
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (JsonArray batch : batches) {
      futures.add(pool.submit(() -> {
        post(client, baseUrl, key, batch, accepted);
        return null;
      }));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("loaded %d items in %d batches in %.1f s (%.0f items/s)%n",
        accepted.get(), batches.size(), secs, accepted.get() / secs);
    System.out.println("ORDINARY_TRACE=" + String.format("bench-t-%06d", traces / 2));
    System.out.println("BIG_TRACE=" + BIG_TRACE_ID);
    System.out.println("FILTER_NAME=" + NAMES[5]);
  }

  private static void post(HttpClient client, String baseUrl, String key, JsonArray batch,
      AtomicLong accepted) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/ingest"))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("batch", batch).encode()))
        .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 207) {
      throw new IllegalStateException("ingest answered " + response.statusCode() + ": "
          + abbreviate(response.body()));
    }
    JsonArray results = new JsonObject(response.body()).getJsonArray("results");
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      if (r.getInteger("status") != 201) {
        throw new IllegalStateException("item rejected: " + r.encode());
      }
    }
    accepted.addAndGet(results.size());
  }

  private static String abbreviate(String s) {
    return s.length() > 500 ? s.substring(0, 500) + "…" : s;
  }
}
