package dev.sextant.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Message digests of text, which every JDK provides. */
public final class Digests {

  private Digests() {}

  /** SHA-256 of {@code text} in UTF-8. */
  public static byte[] sha256(String text) {
    return digest("SHA-256", text);
  }

  /** SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    return digest("SHA-256", bytes);
  }

  /** SHA-1 of {@code text} in UTF-8 (what Redis names a script by). */
  public static byte[] sha1(String text) {
    return digest("SHA-1", text);
  }

  private static byte[] digest(String algorithm, String text) {
    return digest(algorithm, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
