package dev.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.support.OpenApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs after the whole test suite (failsafe's integration-test phase): every error status that
 * docs/openapi.yaml lists for an operation must have been answered to some test, as recorded by
 * {@link OpenApi} while the suite ran. A documented error no test provokes is either untested or
 * not true.
 */
@DisplayName("docs/openapi.yaml")
class OpenApiCoverageIT {

  @Test
  @DisplayName("lists no error status of an operation that no test has seen it answer")
  void everyDocumentedErrorIsProduced() throws IOException {
    String selected = System.getProperty("sextant.selected.tests", "");
    assumeTrue(selected.isEmpty() || selected.startsWith("${"),
        "only part of the suite ran (-Dtest=" + selected + ")");
    Set<String> seen = new TreeSet<>();
    if (Files.isDirectory(OpenApi.COVERAGE_DIR)) {
      try (Stream<Path> files = Files.list(OpenApi.COVERAGE_DIR)) {
        for (Path file : files.toList()) {
          seen.addAll(Files.readAllLines(file));
        }
      }
    }
    Set<String> unseen = new TreeSet<>(OpenApi.document().documentedErrors());
    unseen.removeAll(seen);
    assertThat(unseen).as("documented error answers no test received").isEmpty();
  }
}
