package dev.sextant.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real Redis server from the binary inside {@code com.github.codemonstur:embedded-redis}. Redis is
 * only a cache and a rate-limit store here, so it keeps nothing on disk.
 */
public final class EmbeddedRedis implements AutoCloseable {

  private final RedisServer server;
  private final int port;

  private EmbeddedRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  public static EmbeddedRedis start(Path dir, int port) throws IOException {
    Files.createDirectories(dir);
    RedisServer server = RedisServer.newRedisServer()
        .bind("127.0.0.1")
        .port(port)
        .setting("dir " + dir.toAbsolutePath())
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    server.start();
    return new EmbeddedRedis(server, port);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException {
    server.stop();
  }
}
