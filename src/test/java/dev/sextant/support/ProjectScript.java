package dev.sextant.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the project's {@code scripts/}, run to its end from a test: its output (stdout and stderr
 * together) is printed into the test's report and returned with its exit code.
 */
public record ProjectScript(int exitCode, String output) {

  /** Runs {@code scripts/<name>} with {@code args} and, on top of this process's, {@code env}. */
  public static ProjectScript run(String name, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(
        concat(Path.of("scripts", name).toAbsolutePath().toString(), args)).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("scripts/%s finished", name).isTrue();
    System.out.println(output);
    return new ProjectScript(process.exitValue(), output);
  }

  private static List<String> concat(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    return all;
  }
}
