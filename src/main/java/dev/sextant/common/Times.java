package dev.sextant.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Timestamps on input: RFC 3339 with any offset, or epoch nanoseconds as a decimal string (as OTLP
 * sends them). Anything outside years 1970..9999 is refused rather than stored.
 */
public final class Times {

  private static final OffsetDateTime MIN = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime MAX = OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC);

  private Times() {}

  /** The parsed time in UTC, or null when {@code value} is not a timestamp this API accepts. */
  public static OffsetDateTime parse(String value) {
    if (value == null || value.isEmpty() || value.length() > 64) {
      return null;
    }
    OffsetDateTime time;
    if (isDigits(value)) {
      if (value.length() > 19) {
        return null;
      }
      long nanos = Long.parseLong(value);
      time = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).atOffset(ZoneOffset.UTC);
    } else {
      try {
        time = OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return time.isBefore(MIN) || time.isAfter(MAX) ? null : time;
  }

  private static boolean isDigits(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
