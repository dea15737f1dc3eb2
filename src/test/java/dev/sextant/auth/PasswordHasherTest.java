package dev.sextant.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.AuthConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Password hashes")
class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(new AuthConfig(24, 19456, 2, 1));

  @Test
  @DisplayName("are salted Argon2id PHC strings that verify only the right password")
  void hashAndVerify() {
    String a = hasher.hash("correct horse battery");
    String b = hasher.hash("correct horse battery");
    assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
    assertThat(hasher.verify("correct horse battery", a)).isTrue();
    assertThat(hasher.verify("correct horse batterY", a)).isFalse();
    assertThat(hasher.verify("correct horse battery", "not a hash")).isFalse();
  }

  @Test
  @DisplayName("keep verifying after the cost parameters change")
  void parametersTravelWithTheHash() {
    String old = new PasswordHasher(new AuthConfig(24, 8192, 1, 1)).hash("an older password");
    assertThat(hasher.verify("an older password", old)).isTrue();
  }
}
