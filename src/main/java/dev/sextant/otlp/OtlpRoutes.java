package dev.sextant.otlp;

import dev.sextant.http.Routes;
import com.google.protobuf.CodedOutputStream;
import dev.sextant.auth.Authenticator;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.ContentTypeHandler;
import dev.sextant.http.Problem;
import dev.sextant.http.RequestBody;
import dev.sextant.ingest.IngestService;
import dev.sextant.ingest.IngestService.ItemResult;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code POST /v1/traces}: the standard OTLP/HTTP traces endpoint, protobuf or JSON (API.md 4.2).
 * Spans go through the same validation and transactional write as the batch API; spans that
 * cannot be taken are counted in {@code partial_success}.
 */
public final class OtlpRoutes implements Routes {

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  /** google.rpc.Code INVALID_ARGUMENT. */
  private static final int INVALID_ARGUMENT = 3;
  /** Larger bodies are decoded on a worker: 5 MiB of OTLP/JSON takes a few hundred ms to parse. */
  private static final int DECODE_INLINE_MAX_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final IngestService ingest;
  private final Authenticator auth;

  public OtlpRoutes(Vertx vertx, IngestService ingest, Authenticator auth) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.auth = auth;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/traces")
        .handler(ContentTypeHandler.of("/v1/", PROTOBUF, JSON))
        .handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::exportTraces))
        .failureHandler(OtlpRoutes::answerUndecodable);
  }

  /**
   * A body refused as a whole before it reached {@link #exportTraces} (one that does not decode
   * under its {@code Content-Encoding}, say) is an undecodable request to an OTLP client as much as
   * bad protobuf is: it gets the same 400 {@code google.rpc.Status}, not problem+json, which OTLP
   * exporters cannot read. Other failures (401, 413, 415, 429, 503) keep their problem+json.
   */
  private static void answerUndecodable(RoutingContext ctx) {
    String detail = undecodable(ctx);
    if (detail != null && !ctx.response().headWritten()) {
      status(ctx, isJson(ctx), 400, INVALID_ARGUMENT, detail);
    } else {
      ctx.next();
    }
  }

  /**
   * What to tell of a 400: ours (a {@link Problem}), or Vert.x's own, with its status on the
   * context or in an HttpException (vertx-web's BodyHandler fails so a body of a form content type
   * it could not decode as a form, found by HostileRequestsTest); null for any other failure.
   */
  private static String undecodable(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Problem problem) {
      return problem.status() == 400 ? problem.detail() : null;
    }
    boolean badRequest = ctx.statusCode() == 400
        || failure instanceof HttpException http && http.getStatusCode() == 400;
    return badRequest ? "The request is malformed" : null;
  }

  private Future<?> exportTraces(RoutingContext ctx) {
    boolean json = isJson(ctx);
    Buffer sent = RequestBody.of(ctx);
    Buffer body = sent == null ? Buffer.buffer() : sent;
    Future<OtlpTraceMapper.Mapped> mapped = body.length() <= DECODE_INLINE_MAX_BYTES
        ? Future.future(p -> p.complete(decodeAndMap(json, body)))
        : vertx.executeBlocking(() -> decodeAndMap(json, body), false);
    return mapped
        .compose(m -> ingest.ingestInChunks(Authenticator.project(ctx).projectId(), m.items())
            .compose(results -> respond(ctx, json, m, results)))
        .recover(e -> e instanceof OtlpDecodeException
            ? status(ctx, json, 400, INVALID_ARGUMENT, e.getMessage())
            : Future.failedFuture(e));
  }

  private static OtlpTraceMapper.Mapped decodeAndMap(boolean json, Buffer body) {
    ExportTraceServiceRequest request = json ? OtlpDecoder.fromJson(body) : OtlpDecoder.fromProtobuf(body);
    return OtlpTraceMapper.map(request);
  }

  private static Future<Void> respond(RoutingContext ctx, boolean json, OtlpTraceMapper.Mapped mapped,
      List<ItemResult> results) {
    Refusals spans = new Refusals();
    Refusals traces = new Refusals();
    for (ItemResult result : results) {
      if (result.status() != 201) {
        ("span".equals(result.type()) ? spans : traces).add(result.error());
      }
    }
    long rejected = mapped.rejectedSpans() + spans.count;
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    List<String> reasons = new java.util.ArrayList<>();
    if (mapped.errorMessage() != null) {
      reasons.add(mapped.errorMessage());
    }
    if (spans.count > 0) {
      reasons.add(spans.count + " spans rejected by validation, first: " + spans.first);
    }
    // the spans were taken, but what their root said of the trace was not: OTLP lets a partial
    // success with no rejected span carry such a warning
    if (traces.count > 0) {
      reasons.add(traces.count + " trace fields not taken, first: " + traces.first);
    }
    if (!reasons.isEmpty()) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(rejected)
          .setErrorMessage(String.join("; ", reasons)));
    }
    Buffer out;
    if (json) {
      JsonObject body = new JsonObject();
      if (response.hasPartialSuccess()) {
        body.put("partialSuccess", new JsonObject()
            .put("rejectedSpans", Long.toString(rejected))
            .put("errorMessage", response.getPartialSuccess().getErrorMessage()));
      }
      out = body.toBuffer();
    } else {
      out = Buffer.buffer(response.build().toByteArray());
    }
    return ctx.response().setStatusCode(200)
        .putHeader("Content-Type", json ? JSON : PROTOBUF)
        .end(out);
  }

  /** How many items of one type were refused, and the first one's error. */
  private static final class Refusals {
    long count;
    String first;

    void add(String error) {
      count++;
      first = first == null ? error : first;
    }
  }

  /** A {@code google.rpc.Status} in the request's encoding, as OTLP/HTTP specifies for errors. */
  private static Future<Void> status(RoutingContext ctx, boolean json, int httpStatus, int code,
      String message) {
    Buffer out;
    if (json) {
      out = new JsonObject().put("code", code).put("message", message).toBuffer();
    } else {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(bytes);
        coded.writeInt32(1, code);
        coded.writeString(2, message);
        coded.flush();
        out = Buffer.buffer(bytes.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ctx.response().setStatusCode(httpStatus)
        .putHeader("Content-Type", json ? JSON : PROTOBUF)
        .end(out);
  }

  private static boolean isJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(JSON);
  }
}
