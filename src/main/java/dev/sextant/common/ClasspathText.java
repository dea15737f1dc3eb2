package dev.sextant.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Text files shipped inside the jar (the default configuration, a Lua script, the OpenAPI
 * document). Blocking: read them off the event loop.
 */
public final class ClasspathText {

  private ClasspathText() {}

  /** The UTF-8 text of {@code resource}; fails, naming it, when the jar lacks it. */
  public static String read(String resource) {
    try (InputStream in = ClasspathText.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
