package dev.sextant.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Properties of the similarity over arbitrary strings, surrogate pairs included. */
class LevenshteinPropertiesTest {

  @Property
  void staysWithinZeroAndOne(@ForAll @StringLength(max = 60) String a,
      @ForAll @StringLength(max = 60) String b) {
    assertThat(LevenshteinSimilarity.similarity(a, b)).isBetween(0.0, 1.0);
  }

  @Property
  void isSymmetric(@ForAll @StringLength(max = 60) String a, @ForAll @StringLength(max = 60) String b) {
    assertThat(LevenshteinSimilarity.similarity(a, b)).isEqualTo(LevenshteinSimilarity.similarity(b, a));
  }

  @Property
  void isOneForEqualStrings(@ForAll @StringLength(max = 200) String a) {
    assertThat(LevenshteinSimilarity.similarity(a, new String(a))).isEqualTo(1.0);
  }

  @Property
  void isOneOnlyForEqualStrings(@ForAll @StringLength(max = 20) String a,
      @ForAll @StringLength(max = 20) String b) {
    assertThat(LevenshteinSimilarity.similarity(a, b) == 1.0).isEqualTo(a.equals(b));
  }
}
