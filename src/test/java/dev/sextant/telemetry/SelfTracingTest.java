package dev.sextant.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.TestServer;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Sextant tracing itself into a second Sextant: instance {@code traced} exports its spans over
 * OTLP/HTTP to the {@code /v1/traces} of instance {@code collector}, where they are read back
 * through the trace API.
 */
@DisplayName("Sextant tracing itself")
class SelfTracingTest {

  /** Version 00; the SDK sets the random-trace-id flag (02) of Trace Context level 2 as well. */
  private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  /** Spans leave in batches every few seconds; a loaded machine adds its own delays. */
  private static final Duration EXPORTED = Duration.ofSeconds(60);

  private static final Random random = new Random(15);
  private static TestServer collector;
  private static String collectorKey;
  private static TestServer traced;
  private static String tracedKey;

  @BeforeAll
  static void start() {
    collector = TestServer.start();
    collectorKey = collector.client.newProjectKey();
    traced = TestServer.start(Map.of(
        "SEXTANT_TELEMETRY_OTLP_ENDPOINT", collector.client.base() + "/v1/traces",
        "SEXTANT_TELEMETRY_OTLP_HEADERS", "Authorization=Bearer " + collectorKey,
        "SEXTANT_TELEMETRY_SERVICE_NAME", "sextant-under-test",
        "SEXTANT_HTTP_ACCESS_LOG", "true"));
    tracedKey = traced.client.newProjectKey();
  }

  @AfterAll
  static void stop() {
    if (traced != null) {
      traced.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  @DisplayName("continues a caller's trace: the server span, named by route template, reaches the other instance with the caller's span as parent")
  void callerTraceReachesCollector() {
    String traceId = hex(16);
    String callerSpan = hex(8);
    Response r = traced.client.get("/api/v1/traces?limit=5", tracedKey,
        "traceparent", "00-" + traceId + "-" + callerSpan + "-01");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String returned = r.header("traceparent");
    assertThat(returned).matches(TRACEPARENT).startsWith("00-" + traceId + "-");
    assertThat(sampled(returned)).isTrue();
    String serverSpan = returned.split("-")[2];
    assertThat(serverSpan).isNotEqualTo(callerSpan);

    JsonObject trace = awaitTrace(traceId, serverSpan);
    JsonObject server = span(trace, serverSpan);
    assertThat(server.getString("name")).isEqualTo("GET /api/v1/traces");
    assertThat(server.getString("parent_id")).isEqualTo(callerSpan);
    assertThat(server.getJsonObject("attributes").getString("service.name"))
        .isEqualTo("sextant-under-test");
    assertThat(server.getJsonObject("attributes").getString("http.route"))
        .isEqualTo("/api/v1/traces");
    List<JsonObject> children = trace.getJsonArray("spans").stream().map(JsonObject.class::cast)
        .filter(s -> serverSpan.equals(s.getString("parent_id"))).toList();
    assertThat(children).as("the database calls of the request")
        .anySatisfy(s -> assertThat(s.getJsonObject("attributes").getString("db.system"))
            .isEqualTo("postgresql"));
  }

  @Test
  @DisplayName("traces the Redis calls of a request: a trace read goes through the response cache")
  void redisClientSpans() {
    String stored = hex(16);
    JsonObject body = new JsonObject().put("resourceSpans", new JsonArray().add(new JsonObject()
        .put("scopeSpans", new JsonArray().add(new JsonObject().put("spans", new JsonArray()
            .add(new JsonObject().put("traceId", stored).put("spanId", hex(8)).put("name", "stored")
                .put("startTimeUnixNano", "1732645118000000000")
                .put("endTimeUnixNano", "1732645119000000000")))))));
    Response ingest = traced.client.send(traced.client.request("/v1/traces")
        .header("Authorization", "Bearer " + tracedKey).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
    assertThat(ingest.status()).as(ingest.body()).isEqualTo(200);

    String traceId = hex(16);
    Response r = traced.client.get("/api/v1/traces/" + stored, tracedKey,
        "traceparent", "00-" + traceId + "-" + hex(8) + "-01");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String serverSpan = r.header("traceparent").split("-")[2];
    JsonObject trace = awaitTrace(traceId, serverSpan);
    assertThat(span(trace, serverSpan).getString("name")).isEqualTo("GET /api/v1/traces/:id");
    assertThat(trace.getJsonArray("spans").stream().map(JsonObject.class::cast))
        .as("the response cache's calls").anySatisfy(s -> {
          assertThat(s.getString("parent_id")).isEqualTo(serverSpan);
          assertThat(s.getJsonObject("attributes").getString("db.system")).isEqualTo("redis");
        });
  }

  @Test
  @DisplayName("starts a trace of its own for a request without traceparent and returns it")
  void newTraceReturned() {
    Response r = traced.client.get("/api/v1/traces?limit=5", tracedKey);
    assertThat(r.status()).isEqualTo(200);
    String returned = r.header("traceparent");
    assertThat(returned).matches(TRACEPARENT);
    assertThat(sampled(returned)).as("sampling_ratio 1 by default").isTrue();
    JsonObject trace = awaitTrace(returned.split("-")[1], returned.split("-")[2]);
    JsonObject server = span(trace, returned.split("-")[2]);
    assertThat(server.getString("parent_id")).isNull();
    assertThat(server.getString("name")).isEqualTo("GET /api/v1/traces");
  }

  @Test
  @DisplayName("follows a caller's decision not to sample, and never traces OTLP ingest, whose export would be traced again")
  void unsampledAndIngestStayOut() {
    String unsampled = hex(16);
    Response r = traced.client.get("/api/v1/traces?limit=5", tracedKey,
        "traceparent", "00-" + unsampled + "-" + hex(8) + "-00");
    assertThat(r.header("traceparent")).startsWith("00-" + unsampled + "-");
    assertThat(sampled(r.header("traceparent"))).isFalse();

    String ingest = hex(16);
    Response exported = traced.client.send(traced.client.request("/v1/traces")
        .header("Authorization", "Bearer " + tracedKey)
        .header("Content-Type", "application/json")
        .header("traceparent", "00-" + ingest + "-" + hex(8) + "-01")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(exported.status()).as(exported.body()).isEqualTo(200);
    assertThat(sampled(exported.header("traceparent"))).isFalse();

    // spans leave in the order they end: once a later sampled trace has arrived, the two
    // requests above would have arrived too, had they been recorded
    String later = hex(16);
    Response sampled = traced.client.get("/api/v1/traces?limit=5", tracedKey,
        "traceparent", "00-" + later + "-" + hex(8) + "-01");
    awaitTrace(later, sampled.header("traceparent").split("-")[2]);
    assertThat(collector.client.get("/api/v1/traces/" + unsampled, collectorKey).status())
        .isEqualTo(404);
    assertThat(collector.client.get("/api/v1/traces/" + ingest, collectorKey).status())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("writes the trace id beside the request id in the access log")
  void accessLogCarriesTraceId() {
    Logger logger = (Logger) LoggerFactory.getLogger("sextant.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      String traceId = hex(16);
      String requestId = "apm-" + hex(4);
      Response r = traced.client.get("/api/v1/traces?limit=1", tracedKey, "X-Request-ID", requestId,
          "traceparent", "00-" + traceId + "-" + hex(8) + "-01");
      assertThat(r.status()).isEqualTo(200);
      Await.until(Duration.ofSeconds(10), () -> lines.list.stream()
          .anyMatch(e -> e.getFormattedMessage().contains(requestId)), "the access line");
      JsonObject line = lines.list.stream().map(e -> new JsonObject(e.getFormattedMessage()))
          .filter(j -> requestId.equals(j.getString("request_id"))).findFirst().orElseThrow();
      assertThat(line.getString("trace_id")).isEqualTo(traceId);
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  @DisplayName("flushes the spans still queued when it stops")
  void flushesOnStop() {
    String traceId = hex(16);
    String serverSpan;
    // its batches would wait ten minutes: only the flush on stop can send this one in time
    try (TestServer stopping = traced.sibling(Map.of("SEXTANT_TELEMETRY_EXPORT_DELAY_MS", "600000"))) {
      Response r = stopping.client.get("/api/v1/traces?limit=1", tracedKey,
          "traceparent", "00-" + traceId + "-" + hex(8) + "-01");
      assertThat(r.status()).isEqualTo(200);
      serverSpan = r.header("traceparent").split("-")[2];
    }
    // not awaited: stopping closes Vert.x, which closes its tracer, which flushes the SDK's
    // queue before the close completes (a process that exits after stopping would not be there
    // for the batch's own schedule)
    Response trace = collector.client.get("/api/v1/traces/" + traceId, collectorKey);
    assertThat(trace.status()).as("exported by the time the stop completed").isEqualTo(200);
    span(trace.json(), serverSpan);
  }

  @Test
  @DisplayName("is off by default: no traceparent is returned and Vert.x runs without a tracer")
  void offByDefault() {
    String traceId = hex(16);
    Response r = collector.client.get("/api/v1/traces?limit=5", collectorKey,
        "traceparent", "00-" + traceId + "-" + hex(8) + "-01");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("traceparent")).isNull();
    assertThat(((io.vertx.core.internal.VertxInternal) collector.app().vertx()).tracer()).isNull();
  }

  /** The trace once the span {@code spanId} of it has reached the collector. */
  private static JsonObject awaitTrace(String traceId, String spanId) {
    Response[] last = new Response[1];
    Await.until(EXPORTED, () -> {
      last[0] = collector.client.get("/api/v1/traces/" + traceId, collectorKey);
      return last[0].status() == 200 && last[0].json().getJsonArray("spans").stream()
          .map(JsonObject.class::cast).anyMatch(s -> spanId.equals(s.getString("id")));
    }, "span " + spanId + " of trace " + traceId + " exported to the other instance");
    return last[0].json();
  }

  private static JsonObject span(JsonObject trace, String spanId) {
    return trace.getJsonArray("spans").stream().map(JsonObject.class::cast)
        .filter(s -> spanId.equals(s.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + trace.encode()));
  }

  private static boolean sampled(String traceparent) {
    return (Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16) & 1) == 1;
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
