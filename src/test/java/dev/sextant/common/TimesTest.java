package dev.sextant.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Timestamps on input")
class TimesTest {

  /** What the hand-written reader must agree with: java.time's ISO parser, then the year range. */
  private static OffsetDateTime reference(String value) {
    try {
      OffsetDateTime time = OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
      return time.getYear() < 1970 || time.isAfter(OffsetDateTime.parse("9999-12-31T23:59:59.999999999Z")) ? null : time;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "2026-11-27T04:24:18Z", "2026-11-27T04:24:18.044Z", "2026-11-27T04:24:18.123456789Z",
      "2026-11-27T04:24:18.1+02:00", "2026-11-27T04:24:18-05:30", "2026-11-27T04:24:18.5-00:00",
      "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.5Z",
      "2026-11-27t04:24:18z", "2026-11-27T04:24Z", "2026-11-27T04:24:18+01:00:30",
      // refused, by both
      "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-27T24:00:00Z",
      "2026-11-27T04:60:00Z", "2026-11-27T04:24:60Z", "2026-11-27T04:24:18.Z",
      "2026-11-27T04:24:18", "2026-11-27T04:24:18+19:00",
      "2026-11-27T04:24:18+01:60", "2026-11-27T04:24:18+0100", "2026-11-27 04:24:18Z",
      "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "2026-1a-27T04:24:18Z", "2026-11-27T04:24:18ZZ"})
  void readsAsJavaTimeDoes(String value) {
    assertThat(Times.parse(value)).isEqualTo(reference(value));
  }

  @Test
  @DisplayName("agrees with java.time on 20 000 generated timestamps, valid and not")
  void agreesOnGeneratedTimestamps() {
    Random random = new Random(42);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String fraction = switch (random.nextInt(4)) {
        case 0 -> "";
        case 1 -> "." + random.nextInt(1000);
        default -> "." + String.format("%09d", random.nextInt(1_000_000_000)).substring(0, 1 + random.nextInt(9));
      };
      String offset = switch (random.nextInt(3)) {
        case 0 -> "Z";
        default -> String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(62));
      };
      values.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", 1960 + random.nextInt(100),
          random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62),
          random.nextInt(62), fraction, offset));
    }
    for (String value : values) {
      assertThat(Times.parse(value)).as(value).isEqualTo(reference(value));
    }
  }

  @Test
  @DisplayName("reads a fraction of more than nine digits, as RFC 3339 allows, to the nanosecond")
  void readsLongFractions() {
    assertThat(Times.parse("2026-11-27T04:24:18.1234567891234Z"))
        .isEqualTo(OffsetDateTime.parse("2026-11-27T04:24:18.123456789Z"));
    assertThat(Times.parse("2026-11-27T04:24:18.1234567891x")).isNull();
  }

  @Test
  @DisplayName("reads epoch nanoseconds as OTLP sends them")
  void readsEpochNanos() {
    assertThat(Times.parse("1764217458044000000"))
        .isEqualTo(OffsetDateTime.parse("2025-11-27T04:24:18.044Z"));
    assertThat(Times.parse("12345678901234567890")).isNull();
  }

  @Test
  @DisplayName("refuses epoch nanoseconds beyond a long, which are also beyond 2262, without failing")
  void refusesNanosBeyondLong() {
    assertThat(Times.parse("9223372036854775807"))
        .isEqualTo(OffsetDateTime.parse("2262-04-11T23:47:16.854775807Z"));
    assertThat(Times.parse("9223372036854775808")).isNull();
    assertThat(Times.parse("9999999999999999999")).isNull();
    assertThat(Times.parse("18446744073709551621")).isNull();
  }
}
