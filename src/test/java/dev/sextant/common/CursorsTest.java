package dev.sextant.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1970-01-01T00:00:00Z", "2026-11-27T08:00:00.123456Z",
      "2262-04-11T23:47:16.854776Z", "2300-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"})
  @DisplayName("a position of any accepted time comes back from its cursor")
  void roundTrips(String time) {
    OffsetDateTime at = OffsetDateTime.parse(time);

    Cursors.Position position = Cursors.decode(Cursors.encode(at, "t-1"));

    assertThat(position).isEqualTo(new Cursors.Position(at, "t-1"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "!!", "e30", "eyJ0IjoxLCJpIjoiYSBiIn0", "eyJ0IjoiMSIsImkiOiJhIn0",
      "eyJ0IjoxLjUsImkiOiJhIn0", "eyJ0IjoxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAsImkiOiJhIn0"})
  @DisplayName("anything this server did not make is no position")
  void refusesOthers(String cursor) {
    assertThat(Cursors.decode(cursor)).isNull();
  }
}
