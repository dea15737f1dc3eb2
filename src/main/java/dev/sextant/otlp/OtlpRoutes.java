package dev.sextant.otlp;

import com.google.protobuf.CodedOutputStream;
import dev.sextant.auth.Authenticator;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.ContentTypeHandler;
import dev.sextant.ingest.IngestService;
import dev.sextant.ingest.IngestService.ItemResult;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code POST /v1/traces}: the standard OTLP/HTTP traces endpoint, protobuf or JSON (API.md 4.2).
 * Spans go through the same validation and transactional write as the batch API; spans that
 * cannot be taken are counted in {@code partial_success}.
 */
public final class OtlpRoutes {

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  /** google.rpc.Code INVALID_ARGUMENT. */
  private static final int INVALID_ARGUMENT = 3;

  private final IngestService ingest;

  private OtlpRoutes(IngestService ingest) {
    this.ingest = ingest;
  }

  public static void mount(Router router, IngestService ingest, Authenticator auth) {
    OtlpRoutes routes = new OtlpRoutes(ingest);
    router.post("/v1/traces")
        .handler(ContentTypeHandler.of("/v1/", PROTOBUF, JSON))
        .handler(auth.requireApiKey())
        .handler(AsyncHandler.of(routes::exportTraces));
  }

  private Future<?> exportTraces(RoutingContext ctx) {
    boolean json = isJson(ctx);
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    ExportTraceServiceRequest request;
    try {
      request = json ? OtlpDecoder.fromJson(body) : OtlpDecoder.fromProtobuf(body);
    } catch (OtlpDecodeException e) {
      return status(ctx, json, 400, INVALID_ARGUMENT, e.getMessage());
    }
    OtlpTraceMapper.Mapped mapped = OtlpTraceMapper.map(request);
    return ingest.ingest(Authenticator.project(ctx).projectId(), new JsonArray(List.copyOf(mapped.items())))
        .compose(results -> respond(ctx, json, mapped, results));
  }

  private static Future<Void> respond(RoutingContext ctx, boolean json, OtlpTraceMapper.Mapped mapped,
      List<ItemResult> results) {
    long rejected = mapped.rejectedSpans();
    String firstError = mapped.errorMessage();
    for (ItemResult result : results) {
      if ("span".equals(result.type()) && result.status() != 201) {
        rejected++;
        if (firstError == null) {
          firstError = result.error();
        }
      }
    }
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (rejected > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(rejected)
          .setErrorMessage(rejected + " spans rejected; first: " + firstError));
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
