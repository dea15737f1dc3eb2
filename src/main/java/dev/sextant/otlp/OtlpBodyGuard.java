package dev.sextant.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Refuses bodies that would blow up while being decoded, before any parser builds a tree from
 * them. A 5 MiB cap on the bytes is not a cap on memory: {@code {}} is three bytes of JSON but a
 * few hundred bytes of heap once it is a map, a Gson tree and a {@code Span}; an empty span is two
 * bytes of protobuf and ~110 bytes of heap. Deep nesting, in turn, overflows recursive parsers.
 *
 * <p>The budgets sit well above what real exporters send: a typical span with ten attributes is
 * ~21 messages in ~500 protobuf bytes, so a 5 MiB body of such spans is ~220k messages.
 */
final class OtlpBodyGuard {

  /**
   * Messages nest this deep at most. Each level of an attribute value is three messages (AnyValue,
   * KeyValueList or ArrayValue, KeyValue) below the five of a span's attribute, so the 64 levels
   * the ingest takes need 197; protobuf's default, 100, failed the whole export past 48 levels instead
   * of refusing one span. Past about 80 levels the export fails as a whole still.
   */
  static final int MAX_MESSAGE_DEPTH = 256;
  /** Deeper than any OTLP/JSON request JsonFormat takes (it stops at 100 nested messages). */
  static final int MAX_JSON_DEPTH = 256;
  /** JSON values (containers and array/object members); ~300 bytes of heap each, worst case. */
  static final int MAX_JSON_VALUES = 500_000;
  /** Protobuf messages; ~110 bytes of heap each for the largest, {@code Span}. */
  static final int MAX_PROTOBUF_MESSAGES = 500_000;

  private OtlpBodyGuard() {}

  /**
   * One flat pass over JSON bytes counting nesting and values; brackets and commas inside strings
   * do not count. Syntax is not checked here: the parser that runs next does that.
   */
  static void checkJson(byte[] json) {
    int depth = 0;
    int values = 1;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        if (b == '\\') {
          i++; // the escaped character can be neither a closing quote nor a bracket
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > MAX_JSON_DEPTH) {
          throw new OtlpDecodeException("JSON is nested deeper than " + MAX_JSON_DEPTH + " levels");
        }
        values++;
      } else if (b == '}' || b == ']') {
        depth--;
      } else if (b == ',') {
        values++;
      }
      if (values > MAX_JSON_VALUES) {
        throw new OtlpDecodeException("JSON has more than " + MAX_JSON_VALUES + " values");
      }
    }
  }

  /**
   * Walks the protobuf wire format along the request's schema, counting the messages that
   * parsing would create, without creating them. Iterative, so depth costs no stack.
   *
   * @throws IOException when the bytes are not protobuf at all (reading a byte array, protobuf
   *     only ever throws its InvalidProtocolBufferException)
   */
  static void checkProtobuf(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    Deque<Descriptor> outerTypes = new ArrayDeque<>();
    Deque<Integer> outerLimits = new ArrayDeque<>();
    Descriptor type = ExportTraceServiceRequest.getDescriptor();
    int messages = 0;
    while (true) {
      if (in.isAtEnd()) { // at the end of the current message, or of the body
        if (outerTypes.isEmpty()) {
          return;
        }
        in.popLimit(outerLimits.pop());
        type = outerTypes.pop();
        continue;
      }
      int tag = in.readTag();
      FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      boolean message = field != null
          && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      if (!message) {
        in.skipField(tag); // scalars, strings, unknown fields: protobuf bounds their cost itself
        continue;
      }
      if (++messages > MAX_PROTOBUF_MESSAGES) {
        throw new OtlpDecodeException(
            "protobuf body has more than " + MAX_PROTOBUF_MESSAGES + " messages");
      }
      int length = in.readRawVarint32();
      outerLimits.push(in.pushLimit(length));
      outerTypes.push(type);
      type = field.getMessageType();
    }
  }
}
