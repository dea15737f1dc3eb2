package dev.sextant.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "7b7d", "c3a9", "e282ac", "f09f9880", "efbfbd", "ed9fbf", "ee8080",
      "f48fbfbf", "2020202020202020202020c3a9", "7b226b223a22c3a9227d20202020202020"})
  void takesWellFormed(String hex) {
    assertThat(Utf8.isValid(HexFormat.of().parseHex(hex))).isTrue();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"80", "c0af", "c1a1", "c3", "e080af", "eda080", "edbfbf", "f08282ac",
      "f4908080", "f5808080", "ff", "e282", "2020202020202020e2", "20202020202020c328"})
  void refusesIllFormed(String hex) {
    assertThat(Utf8.isValid(HexFormat.of().parseHex(hex))).isFalse();
  }

  @org.junit.jupiter.api.Test
  void agreesWithTheJdkOnEveryCodePoint() {
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) {
        continue;
      }
      byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
      if (!Utf8.isValid(bytes)) { // one assertion per code point would take seconds
        org.junit.jupiter.api.Assertions.fail(String.format("U+%04X refused", cp));
      }
    }
  }
}
