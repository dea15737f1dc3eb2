package dev.sextant.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/promtool-test}, so that {@code mvn verify} checks the Prometheus
 * configuration and runs the alerting rules' promtool unit tests in the same report as the rest.
 * Where promtool cannot be had, the script says it skipped and this test is reported as skipped.
 */
@DisplayName("Alerting rules")
class AlertRulesTest {

  @Test
  @DisplayName("pass promtool's checks and unit tests: every alert fires when it should and stays silent on healthy series")
  void promtoolUnitTests() throws IOException, InterruptedException {
    Process process = new ProcessBuilder(Path.of("scripts", "promtool-test").toAbsolutePath().toString())
        .redirectErrorStream(true)
        .start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("promtool-test finished").isTrue();
    System.out.println(output);
    Assumptions.assumeFalse(output.contains("skipped: promtool not available"), output);
    assertThat(process.exitValue()).as("scripts/promtool-test exit code; its output:%n%s", output)
        .isZero();
    assertThat(output).contains("SUCCESS").doesNotContain("FAILED");
  }
}
