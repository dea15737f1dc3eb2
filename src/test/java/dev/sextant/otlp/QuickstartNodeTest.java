package dev.sextant.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.support.ApiClient;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js example of docs/quickstart.md, run as a user would (npm install, npm start) against a
 * live server: the quick start cannot rot. Skipped, saying so, on a machine without Node.js.
 */
@ExtendWith(ServerExtension.class)
@DisplayName("The Node.js quick start")
class QuickstartNodeTest {

  private static final Path EXAMPLE = Path.of("scripts", "quickstart", "node");

  @Injected private static ApiClient api;
  @ProjectKey private static String key;

  @TempDir Path logs;

  @Test
  @DisplayName("sends a GenAI trace with the OpenTelemetry SDK that reads back with its model, tokens and user")
  void sendsATrace() throws Exception {
    assumeTrue(run(List.of("npm", "--version"), Map.of(), 30) == 0, "npm is not installed here");
    assertThat(run(List.of("npm", "install", "--no-package-lock", "--no-audit", "--no-fund",
        "--loglevel=error"), Map.of(), 600)).as("npm install: " + log()).isZero();

    assertThat(run(List.of("node", "send-trace.mjs"),
        Map.of("SEXTANT_URL", api.base(), "SEXTANT_API_KEY", key), 120)).as(log()).isZero();
    String traceId = log().lines().reduce((a, b) -> b).orElseThrow().trim();

    ApiClient.Response r = api.get("/api/v1/traces/" + traceId, key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject detail = r.json();
    assertThat(detail.getString("name")).isEqualTo("answer-question");
    assertThat(detail.getString("user_id")).isEqualTo("user-42");
    assertThat(detail.getInteger("span_count")).isEqualTo(2);
    assertThat(detail.getLong("input_tokens")).isEqualTo(812);
    JsonObject llm = detail.getJsonArray("spans").stream().map(JsonObject.class::cast)
        .filter(s -> "llm".equals(s.getString("kind"))).findFirst().orElseThrow();
    assertThat(llm.getString("model")).isEqualTo("gpt-4o");
    assertThat(llm.getLong("output_tokens")).isEqualTo(96);
  }

  @Test
  @DisplayName("runs an experiment over a dataset with fetch alone and prints its scored, completed summary")
  void runsAnExperiment() throws Exception {
    assumeTrue(run(List.of("node", "--version"), Map.of(), 30) == 0, "Node.js is not installed here");
    assertThat(run(List.of("node", "run-experiment.mjs"),
        Map.of("SEXTANT_URL", api.base(), "SEXTANT_API_KEY", key), 120)).as(log()).isZero();
    JsonObject summary = new JsonObject(log().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(summary.getString("status")).isEqualTo("completed");
    assertThat(summary.getLong("result_count")).isEqualTo(3);
    assertThat(summary.getLong("pending_evaluations")).isZero();
    assertThat(summary.getJsonObject("scores").getJsonObject("exact").getDouble("mean"))
        .isEqualTo(2.0 / 3);
    assertThat(summary.getJsonObject("latency_ms").getDouble("p50")).isEqualTo(412.0);
  }

  private int run(List<String> command, Map<String, String> env, long seconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(EXAMPLE.toFile())
        .redirectErrorStream(true).redirectOutput(logs.resolve("out.log").toFile());
    pb.environment().putAll(env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return -1; // not installed
    }
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " took over " + seconds + " s: " + log());
    }
    return process.exitValue();
  }

  private String log() throws IOException {
    return Files.readString(logs.resolve("out.log"));
  }
}
