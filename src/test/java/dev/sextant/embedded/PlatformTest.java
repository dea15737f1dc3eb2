package dev.sextant.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The embedded default's platform")
class PlatformTest {

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
      "Linux, amd64, linux-amd64, postgres-linux-x86_64.txz",
      "Linux, x86_64, linux-amd64, postgres-linux-x86_64.txz",
      "Linux, aarch64, linux-arm64v8, postgres-linux-arm_64.txz",
      "Mac OS X, x86_64, darwin-amd64, postgres-darwin-x86_64.txz",
      "Mac OS X, aarch64, darwin-arm64v8, postgres-darwin-arm_64.txz",
      "Darwin, arm64, darwin-arm64v8, postgres-darwin-arm_64.txz"})
  @DisplayName("is the binaries artifact and archive of each supported os.name and os.arch")
  void supported(String os, String arch, String artifact, String archive) {
    Platform platform = Platform.of(os, arch).orElseThrow();
    assertThat(platform.artifact()).isEqualTo(artifact);
    assertThat(platform.postgresArchive()).isEqualTo(archive);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"Windows 11, amd64", "Linux, x86", "Linux, riscv64", "SunOS, sparcv9", "FreeBSD, amd64"})
  @DisplayName("is none on any other machine")
  void unsupported(String os, String arch) {
    assertThat(Platform.of(os, arch)).isEmpty();
  }
}
