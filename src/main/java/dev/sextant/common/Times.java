package dev.sextant.common;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps on the wire. On input: RFC 3339 with any offset, or epoch nanoseconds as a decimal
 * string (as OTLP sends them); anything outside years 1970..9999 is refused rather than stored. On
 * output: RFC 3339 in UTC with milliseconds, e.g. {@code 2026-11-26T20:18:38.123Z}.
 */
public final class Times {

  private static final OffsetDateTime MAX = OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.UTC);

  private static final String MAX_NANOS = Long.toString(Long.MAX_VALUE);

  private static final DateTimeFormatter OUTPUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  /** The wire form of {@code time}; null for null. */
  public static String format(OffsetDateTime time) {
    return time == null ? null : OUTPUT.format(time.toInstant());
  }

  /** The parsed time in UTC, or null when {@code value} is not a timestamp this API accepts. */
  public static OffsetDateTime parse(String value) {
    if (value == null || value.isEmpty() || value.length() > 64) {
      return null;
    }
    OffsetDateTime time;
    if (isDigits(value)) {
      // beyond a long (OTLP's times are unsigned) lies the year 2262, past what is accepted anyway
      if (value.length() > MAX_NANOS.length()
          || (value.length() == MAX_NANOS.length() && value.compareTo(MAX_NANOS) > 0)) {
        return null;
      }
      long nanos = Long.parseLong(value);
      time = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).atOffset(ZoneOffset.UTC);
    } else {
      time = parseCommonForm(value);
      if (time == null) {
        try {
          time = OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          return null;
        }
      }
    }
    // by year first: comparing instants costs more than the parse itself
    int year = time.getYear();
    return year < 1970 || year > 9999 || (year == 9999 && time.isAfter(MAX)) ? null : time;
  }

  /**
   * The form nearly every client sends, {@code 2026-01-02T03:04:05[.fraction](Z|±hh:mm)}, read
   * by hand: ingest parses two timestamps per span, and {@link OffsetDateTime#parse} was a third of
   * the cost of validating one. Null for anything else, which {@link OffsetDateTime#parse} then
   * reads (or refuses) as before; the result is the same as its, except that a fraction may have
   * more than nine digits (RFC 3339 allows any number): those past nanoseconds are dropped.
   */
  private static OffsetDateTime parseCommonForm(String v) {
    int n = v.length();
    if (n < 20 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T'
        || v.charAt(13) != ':' || v.charAt(16) != ':') {
      return null;
    }
    int year = digits(v, 0, 4);
    int month = digits(v, 5, 7);
    int day = digits(v, 8, 10);
    int hour = digits(v, 11, 13);
    int minute = digits(v, 14, 16);
    int second = digits(v, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (v.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(v.charAt(i))) {
        nanos = nanos * 10 + (v.charAt(i++) - '0');
      }
      if (i == start) {
        return null;
      }
      while (i < n && isDigit(v.charAt(i))) {
        i++; // RFC 3339 sets no bound on the fraction's digits: past nanoseconds they are dropped
      }
      for (int d = i - start; d < 9; d++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && v.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (v.charAt(i) == '+' || v.charAt(i) == '-') && v.charAt(i + 3) == ':') {
      int hours = digits(v, i + 1, i + 3);
      int minutes = digits(v, i + 4, i + 6);
      if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
        return null;
      }
      offsetSeconds = (v.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return null;
    }
    try {
      return OffsetDateTime.of(year, month, day, hour, minute, second, nanos,
          ZoneOffset.ofTotalSeconds(offsetSeconds)).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null; // no such date, time or offset: left to the full parser, which refuses it
    }
  }

  /** The decimal value of {@code v[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String v, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = v.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
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
