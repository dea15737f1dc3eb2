package dev.sextant.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Base64;

/** Reads OTLP attribute values ({@link AnyValue}) as JSON, text or counts. */
final class OtlpValues {

  /** Longer strings are not numbers anyone meant; parsing them would only cost CPU. */
  private static final int MAX_NUMERIC_TEXT = 32;

  private OtlpValues() {}

  /**
   * The JSON form of a value. Recursion follows the value's nesting, which the decoders bound
   * (protobuf and JsonFormat both stop at 100 nested messages).
   */
  static Object toJson(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> doubleToJson(value.getDoubleValue());
      case ARRAY_VALUE -> {
        JsonArray array = new JsonArray();
        value.getArrayValue().getValuesList().forEach(v -> array.add(toJson(v)));
        yield array;
      }
      case KVLIST_VALUE -> {
        JsonObject object = new JsonObject();
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          object.put(kv.getKey(), toJson(kv.getValue()));
        }
        yield object;
      }
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      // string_value_strindex points into a profiles dictionary that trace requests do not have
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
    };
  }

  /** JSON has no NaN or infinities: spell them as proto3 JSON does rather than emit bad JSON. */
  private static Object doubleToJson(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return d;
  }

  /** A string, or an integer as its decimal text (ids are sometimes numeric); else null. */
  static String asText(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue().isEmpty() ? null : value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      default -> null;
    };
  }

  /**
   * A whole number from an int, a double or a numeric string ("812", "812.0", "8.12e2"); null for
   * anything fractional, out of the long range or not a number, so it stays a plain attribute.
   */
  static Long asCount(AnyValue value) {
    switch (value.getValueCase()) {
      case INT_VALUE:
        return value.getIntValue();
      case DOUBLE_VALUE:
        double d = value.getDoubleValue();
        boolean whole = Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63;
        return whole ? (long) d : null;
      case STRING_VALUE:
        String text = value.getStringValue().trim();
        if (text.isEmpty() || text.length() > MAX_NUMERIC_TEXT) {
          return null;
        }
        try {
          return new BigDecimal(text).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
          return null;
        }
      default:
        return null;
    }
  }
}
