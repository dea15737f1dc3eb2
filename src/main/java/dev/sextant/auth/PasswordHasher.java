package dev.sextant.auth;

import dev.sextant.config.SextantConfig.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}),
 * so parameters can be raised later without invalidating stored hashes. Hashing is deliberately
 * slow, so the {@link Future} methods run it on a worker thread, never on an event loop.
 */
public final class PasswordHasher {

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final SecureRandom random = new SecureRandom();
  private final int memoryKib;
  private final int iterations;
  private final int parallelism;

  public PasswordHasher(AuthConfig config) {
    this.memoryKib = config.argon2MemoryKib();
    this.iterations = config.argon2Iterations();
    this.parallelism = config.argon2Parallelism();
  }

  public Future<String> hash(Vertx vertx, String password) {
    return vertx.executeBlocking(() -> hash(password), false);
  }

  public Future<Boolean> verify(Vertx vertx, String password, String encoded) {
    return vertx.executeBlocking(() -> verify(password, encoded), false);
  }

  String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  boolean verify(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    if (parts.length != 6 || !parts[1].equals("argon2id")) {
      return false;
    }
    int m = 0;
    int t = 0;
    int p = 0;
    for (String param : parts[3].split(",")) {
      String[] kv = param.split("=", 2);
      int value = Integer.parseInt(kv[1]);
      switch (kv[0]) {
        case "m" -> m = value;
        case "t" -> t = value;
        case "p" -> p = value;
        default -> { /* unknown parameters are ignored */ }
      }
    }
    byte[] salt = B64D.decode(parts[4]);
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = derive(password, salt, m, t, p, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations,
      int parallelism, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
