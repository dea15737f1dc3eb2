package dev.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.embedded.FreePort;
import dev.sextant.embedded.Platform;
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
    return launch(List.of(), env, args);
  }

  private Process launch(List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
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

  @Test
  @DisplayName("runs `dev` on the servers DATABASE_URL and REDIS_URL name, starting no embedded one")
  void devWithOwnServers() throws Exception {
    int port = FreePort.find();
    Path data = dir.resolve("data");
    Process p = launch(Map.of(
        "DATABASE_URL", TestInfra.newDatabase(),
        "REDIS_URL", TestInfra.redisUrl(),
        "SEXTANT_DATA_DIR", data.toString(),
        "SEXTANT_HTTP_PORT", Integer.toString(port)), "dev");
    try {
      Await.until(Duration.ofSeconds(60), () -> readQuietly().contains("sextant listening on http://"),
          "the listening line");
      assertThat(output()).contains("dev: PostgreSQL from DATABASE_URL, Redis from REDIS_URL")
          .doesNotContain("embedded PostgreSQL on").doesNotContain("embedded Redis on");
      assertThat(p.descendants().map(h -> h.info().command().orElse("")).toList())
          .as("child processes").noneMatch(c -> c.contains("postgres") || c.contains("redis"));
      assertThat(Files.exists(data.resolve("postgres"))).isFalse();
      assertThat(new ApiClient("http://127.0.0.1:" + port).get("/health/ready", null).status())
          .isEqualTo(200);
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  @Test
  @DisplayName("refuses `dev` on a platform without embedded binaries in one sentence, with exit code 2")
  void devOnAnUnsupportedPlatform() throws Exception {
    Process p = launch(List.of("-D" + Platform.OVERRIDE_PROPERTY + "=sunos/sparcv9"),
        Map.of("SEXTANT_DATA_DIR", dir.resolve("data").toString()), "dev");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output())
        .contains("sextant: `dev` has no embedded PostgreSQL and Redis for sunos sparcv9")
        .contains("DATABASE_URL and REDIS_URL")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  private String readQuietly() {
    try {
      return output();
    } catch (IOException e) {
      return "";
    }
  }
}
