package dev.sextant.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sextant.validation.Utf8;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Decodes the body of an OTLP/HTTP traces export ({@code POST /v1/traces}) in either of its two
 * encodings. Pure functions, no IO: the caller has already read, decompressed and size-capped the
 * body. They are CPU work all the same: 5 MiB of OTLP/JSON costs a few hundred milliseconds
 * (JsonFormat is slow), the same spans as protobuf (~2 MiB) about 20 ms, so large bodies belong
 * on a worker rather than an event loop.
 */
public final class OtlpDecoder {

  // OTLP/JSON says receivers must ignore unknown fields; JsonFormat already accepts both the
  // lowerCamelCase and the proto field names, integer enum values and int64s as strings or numbers.
  // Its recursion limit stays protobuf's default, 100 messages (JsonFormat offers no way to raise
  // it): an attribute value nested past about 30 levels fails an OTLP/JSON export as a whole.
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final HexFormat HEX = HexFormat.of();

  private OtlpDecoder() {}

  /**
   * Decodes an {@code application/x-protobuf} body. An empty (or null) body is a valid, empty
   * request, as protobuf defines it.
   *
   * @throws OtlpDecodeException when the bytes are not an {@code ExportTraceServiceRequest},
   *     nest deeper than {@link OtlpBodyGuard#MAX_MESSAGE_DEPTH} messages, or hold more than
   *     500,000 messages
   */
  public static ExportTraceServiceRequest fromProtobuf(Buffer body) {
    if (body == null || body.length() == 0) {
      return ExportTraceServiceRequest.getDefaultInstance();
    }
    byte[] bytes = body.getBytes();
    try {
      OtlpBodyGuard.checkProtobuf(bytes);
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(OtlpBodyGuard.MAX_MESSAGE_DEPTH);
      return ExportTraceServiceRequest.parseFrom(in);
    } catch (IOException e) { // InvalidProtocolBufferException: nothing else reads a byte array
      throw new OtlpDecodeException("body is not a valid OTLP/protobuf traces request", e);
    }
  }

  /**
   * Decodes an {@code application/json} body in OTLP/JSON: proto3 JSON with lowerCamelCase or
   * proto field names, except that {@code traceId}, {@code spanId} and {@code parentSpanId} of
   * spans and span links are hex strings (either case) instead of base64. Unknown fields are
   * ignored; enums may be names or integers; 64-bit integers may be strings or numbers.
   *
   * @throws OtlpDecodeException when the body is empty, not JSON, not an object, nested deeper
   *     than {@link OtlpBodyGuard#MAX_JSON_DEPTH} levels, holds more than 500,000 values, has an id that is not a hex string, or
   *     does not fit the {@code ExportTraceServiceRequest} schema
   */
  public static ExportTraceServiceRequest fromJson(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new OtlpDecodeException("request body is empty");
    }
    byte[] bytes = body.getBytes();
    if (!Utf8.isValid(bytes)) {
      throw new OtlpDecodeException("body is not valid UTF-8");
    }
    OtlpBodyGuard.checkJson(bytes);
    JsonObject root;
    try {
      root = new JsonObject(body);
    } catch (DecodeException e) {
      throw new OtlpDecodeException("body is not a JSON object", e);
    }
    hexIdsToBase64(root);
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(root.encode(), request);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // JsonFormat's own messages quote parser internals and chunks of input; keep them for the
      // log (the cause) and give the client a stable sentence.
      throw new OtlpDecodeException("body does not match the OTLP/JSON traces request schema", e);
    }
    return request.build();
  }

  /**
   * Rewrites the hex ids of spans and span links to the base64 that proto3 JSON expects for
   * {@code bytes}. Only the fixed path {@code resourceSpans[].scopeSpans[].spans[](.links[])} can
   * hold ids; anything off that path is left to JsonFormat to accept or refuse.
   */
  private static void hexIdsToBase64(JsonObject root) {
    List<JsonObject> resourceSpans = children(root, "resourceSpans", "resource_spans");
    for (int r = 0; r < resourceSpans.size(); r++) {
      List<JsonObject> scopeSpans = children(resourceSpans.get(r), "scopeSpans", "scope_spans");
      for (int s = 0; s < scopeSpans.size(); s++) {
        List<JsonObject> spans = children(scopeSpans.get(s), "spans");
        for (int i = 0; i < spans.size(); i++) {
          String path = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
          JsonObject span = spans.get(i);
          rewriteHex(span, path, "traceId", "trace_id", "spanId", "span_id");
          rewriteHex(span, path, "parentSpanId", "parent_span_id");
          List<JsonObject> links = children(span, "links");
          for (int l = 0; l < links.size(); l++) {
            String linkPath = path + ".links[" + l + "]";
            rewriteHex(links.get(l), linkPath, "traceId", "trace_id", "spanId", "span_id");
          }
        }
      }
    }
  }

  /** The objects in the array under any of the names; wrong shapes are JsonFormat's to report. */
  private static List<JsonObject> children(JsonObject parent, String... names) {
    List<JsonObject> children = new ArrayList<>();
    for (String name : names) {
      if (parent.getValue(name) instanceof JsonArray array) {
        for (int i = 0; i < array.size(); i++) {
          if (array.getValue(i) instanceof JsonObject child) {
            children.add(child); // a view on the parsed tree: edits land in the document
          }
        }
      }
    }
    return children;
  }

  private static void rewriteHex(JsonObject holder, String path, String... names) {
    for (String name : names) {
      Object value = holder.getValue(name);
      if (value == null) {
        continue; // absent or null: the empty id, as in proto3 JSON
      }
      // a number must not reach JsonFormat either: it would read the digits as base64
      byte[] id = value instanceof String hex ? parseHex(hex) : null;
      if (id == null) {
        throw new OtlpDecodeException(path + "." + name + " is not a hex string");
      }
      holder.put(name, Base64.getEncoder().encodeToString(id));
    }
  }

  /** Hex digits in either case; null when the text is not an even run of them. */
  private static byte[] parseHex(String hex) {
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
