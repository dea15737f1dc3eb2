package dev.sextant.auth;

import dev.sextant.common.Digests;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer secrets: {@code sxs_} session tokens and {@code sxk_} API keys, 256 random bits each.
 * Only their SHA-256 is stored; a fast hash suffices because the secrets are not guessable.
 */
public final class Tokens {

  public static final String SESSION_PREFIX = "sxs_";
  public static final String API_KEY_PREFIX = "sxk_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Tokens() {}

  public static String newSessionToken() {
    return SESSION_PREFIX + randomPart();
  }

  public static String newApiKey() {
    return API_KEY_PREFIX + randomPart();
  }

  public static byte[] hash(String token) {
    return Digests.sha256(token);
  }

  private static String randomPart() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
