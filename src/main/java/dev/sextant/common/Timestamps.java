package dev.sextant.common;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps on the wire: RFC 3339 in UTC with milliseconds, e.g. {@code 2026-11-26T20:18:38.123Z}. */
public final class Timestamps {

  private static final DateTimeFormatter OUTPUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(OffsetDateTime time) {
    return time == null ? null : OUTPUT.format(time.toInstant());
  }
}
