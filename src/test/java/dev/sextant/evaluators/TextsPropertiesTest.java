package dev.sextant.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The linear substring search agrees with String.contains, long needles included. */
class TextsPropertiesTest {

  @Property
  void containsAgreesWithString(@ForAll @CharRange(from = 'a', to = 'b') @StringLength(max = 400) String text,
      @ForAll @CharRange(from = 'a', to = 'b') @StringLength(min = 60, max = 90) String needle) {
    assertThat(Texts.contains(text, needle)).isEqualTo(text.contains(needle));
  }

  @Property
  void findsEverySlice(@ForAll @CharRange(from = 'a', to = 'c') @StringLength(min = 200, max = 400) String text,
      @ForAll @IntRange(max = 100) int from, @ForAll @IntRange(min = 64, max = 100) int length) {
    assertThat(Texts.contains(text, text.substring(from, from + length))).isTrue();
  }
}
