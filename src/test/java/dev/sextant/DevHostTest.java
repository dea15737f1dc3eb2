package dev.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("dev mode")
class DevHostTest {

  @Test
  @DisplayName("listens on the loopback address when no host is named")
  void loopbackByDefault() {
    assertThat(Main.devEnvironment(Map.of("PATH", "/bin")))
        .containsEntry("SEXTANT_HTTP_HOST", "127.0.0.1").containsEntry("PATH", "/bin");
  }

  @Test
  @DisplayName("listens where SEXTANT_HTTP_HOST says when it is set")
  void hostNamed() {
    assertThat(Main.devEnvironment(Map.of("SEXTANT_HTTP_HOST", "0.0.0.0")))
        .containsEntry("SEXTANT_HTTP_HOST", "0.0.0.0");
  }
}
