package dev.sextant.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.math.BigDecimal;

/** Reads OTLP attribute values ({@link AnyValue}) as text or counts ({@link OtlpAttributesJson}: as JSON). */
final class OtlpValues {

  /** Longer strings are not numbers anyone meant; parsing them would only cost CPU. */
  private static final int MAX_NUMERIC_TEXT = 32;

  private OtlpValues() {}

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
