package dev.sextant.otlp;

import dev.sextant.http.JsonBodies;
import dev.sextant.validation.RawJson;
import dev.sextant.validation.Validator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.Map;

/**
 * A span's attributes as the JSON text PostgreSQL stores, written straight from the OTLP values.
 * Building them into a {@code JsonObject} first, only to have it encoded and walked again for what
 * PostgreSQL cannot store, was about a tenth of the server's work per OTLP span. What it cannot
 * store is noted on the way, as the ingest validator would note it: a NUL character, half of a
 * surrogate pair (OTLP/JSON can escape one), nesting past the limit.
 */
final class OtlpAttributesJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(256);
  private String problem;
  private int depth;

  private OtlpAttributesJson() {}

  static RawJson of(Map<String, AnyValue> attributes) {
    OtlpAttributesJson json = new OtlpAttributesJson();
    json.open('{');
    boolean first = true;
    for (Map.Entry<String, AnyValue> e : attributes.entrySet()) {
      first = json.member(first, e.getKey(), e.getValue());
    }
    json.close('}');
    return new RawJson(json.out.toString(), json.problem);
  }

  private boolean member(boolean first, String key, AnyValue value) {
    if (!first) {
      out.append(',');
    }
    string(key);
    out.append(':');
    value(value);
    return false;
  }

  /**
   * Strings, booleans, integers and finite doubles as themselves; NaN and the infinities spelt as
   * proto3 JSON does (JSON has no such numbers); bytes in base64; arrays and kvlists as arrays and
   * objects.
   */
  private void value(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> string(value.getStringValue());
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case INT_VALUE -> out.append(value.getIntValue());
      case DOUBLE_VALUE -> {
        double d = value.getDoubleValue();
        if (Double.isFinite(d)) {
          out.append(d);
        } else {
          string(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        }
      }
      case ARRAY_VALUE -> {
        open('[');
        boolean first = true;
        for (AnyValue item : value.getArrayValue().getValuesList()) {
          if (!first) {
            out.append(',');
          }
          value(item);
          first = false;
        }
        close(']');
      }
      case KVLIST_VALUE -> {
        open('{');
        boolean first = true;
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          first = member(first, kv.getKey(), kv.getValue());
        }
        close('}');
      }
      case BYTES_VALUE -> string(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> out.append("null");
    }
  }

  private void open(char bracket) {
    if (++depth > Validator.MAX_NESTING) {
      note(Validator.TOO_DEEP);
    }
    out.append(bracket);
  }

  private void close(char bracket) {
    depth--;
    out.append(bracket);
  }

  /** A JSON string: quote, backslash and control characters escaped, everything else as it is. */
  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        if (c == 0) {
          note(Validator.NUL);
        }
        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          out.append(c).append(s.charAt(++i));
        } else {
          note(Validator.UNPAIRED_SURROGATE);
          out.append('?');
        }
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private void note(String found) {
    if (problem == null) {
      problem = found;
    }
  }
}
