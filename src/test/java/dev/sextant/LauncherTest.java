package dev.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.embedded.FreePort;
import dev.sextant.support.ApiClient;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The launcher")
class LauncherTest {

  @TempDir
  Path dir;

  private Process launch(Map<String, String> env, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.log").toFile());
    pb.environment().remove("DATABASE_URL");
    pb.environment().remove("REDIS_URL");
    pb.environment().putAll(env);
    return pb.start();
  }

  private String output() throws IOException {
    return Files.readString(dir.resolve("out.log"));
  }

  @Test
  @DisplayName("refuses `serve` without DATABASE_URL or REDIS_URL, naming the variable, with exit code 2")
  void serveNeedsUrls() throws Exception {
    Process noDb = launch(Map.of(), "serve");
    assertThat(noDb.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(noDb.exitValue()).isEqualTo(2);
    assertThat(output()).contains("DATABASE_URL");

    Process noRedis = launch(Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/x"), "serve");
    assertThat(noRedis.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(noRedis.exitValue()).isEqualTo(2);
    assertThat(output()).contains("REDIS_URL");
  }

  @Test
  @DisplayName("answers an unknown mode with usage and exit code 2")
  void usage() throws Exception {
    Process p = launch(Map.of(), "bogus");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output()).contains("dev|serve");
  }

  @Test
  @DisplayName("serves, logs its address, and on SIGTERM drains and stops")
  void serveAndStopOnSigterm() throws Exception {
    int port = FreePort.find();
    Process p = launch(Map.of(
        "DATABASE_URL", TestInfra.newDatabase(),
        "REDIS_URL", TestInfra.redisUrl(),
        "SEXTANT_HTTP_PORT", Integer.toString(port)), "serve");
    try {
      Await.until(Duration.ofSeconds(60), () -> readQuietly().contains("sextant listening on http://"),
          "the listening line");
      assertThat(output()).contains(":" + port);
      ApiClient api = new ApiClient("http://127.0.0.1:" + port);
      assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(output()).contains("shutting down").contains("stopped");
    } finally {
      p.destroyForcibly();
    }
  }

  private String readQuietly() {
    try {
      return output();
    } catch (IOException e) {
      return "";
    }
  }
}
