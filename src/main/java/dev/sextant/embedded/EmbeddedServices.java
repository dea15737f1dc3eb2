package dev.sextant.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL and Redis for {@code dev} mode, on free ports (never 5432/6379, so they coexist with
 * servers already running there), with PostgreSQL's data kept under {@code dataDir}. Either one is
 * left out when the developer names a server of their own ({@code DATABASE_URL}, {@code REDIS_URL}).
 */
public final class EmbeddedServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);

  private final EmbeddedPostgres postgres;
  private final EmbeddedRedis redis;

  private EmbeddedServices(EmbeddedPostgres postgres, EmbeddedRedis redis) {
    this.postgres = postgres;
    this.redis = redis;
  }

  /** Starts the servers asked for (a false flag leaves that one out) on {@code platform}. */
  public static EmbeddedServices start(Platform platform, String dataDir, boolean withPostgres,
      boolean withRedis) {
    Path base = Path.of(dataDir).toAbsolutePath().normalize();
    EmbeddedPostgres postgres = null;
    try {
      if (withPostgres) {
        postgres = EmbeddedPostgres.start(platform, base.resolve("postgres"), FreePort.find(), true);
        log.info("embedded PostgreSQL on 127.0.0.1:{}, data in {}", postgres.port(),
            base.resolve("postgres"));
      }
      EmbeddedRedis redis = null;
      if (withRedis) {
        redis = EmbeddedRedis.start(base.resolve("redis"), FreePort.find());
        log.info("embedded Redis on 127.0.0.1:{}", redis.port());
      }
      return new EmbeddedServices(postgres, redis);
    } catch (IOException e) {
      if (postgres != null) {
        postgres.close();
      }
      throw new UncheckedIOException("could not start embedded PostgreSQL/Redis", e);
    }
  }

  /** The embedded PostgreSQL's URL; null when none was started. */
  public String databaseUrl() {
    return postgres == null ? null : postgres.url("postgres");
  }

  /** The embedded Redis's URL; null when none was started. */
  public String redisUrl() {
    return redis == null ? null : redis.url();
  }

  @Override
  public void close() {
    if (redis != null) {
      try {
        redis.close();
      } catch (IOException e) {
        log.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
      }
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
