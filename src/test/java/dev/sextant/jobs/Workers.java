package dev.sextant.jobs;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import dev.sextant.config.SextantConfig.JobsConfig;
import dev.sextant.config.SextantConfig.OffPeak;
import dev.sextant.db.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A process of its own over a test database: a Vert.x instance, a pool, a queue, and the workers
 * deployed on it; closing it is the process ending.
 */
final class Workers implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final Pool pool;
  final JobQueue queue;
  final MeterRegistry registry = new SimpleMeterRegistry();
  private final String url;

  Workers(String url, int maxAttempts) {
    this.url = url;
    this.pool = Database.createPool(vertx, new DatabaseConfig(url, 8, 256, 1024, 5000, 0, 0));
    this.queue = new JobQueue(pool, maxAttempts);
  }

  static JobsConfig config(long pollMs, int leaseSeconds, int maxAttempts, long backoffMs,
      long timeoutMs) {
    return new JobsConfig(true, pollMs, leaseSeconds, maxAttempts, backoffMs, timeoutMs, 32, 4,
        ZoneOffset.UTC, new OffPeak(LocalTime.of(2, 0), LocalTime.of(5, 0)), List.of());
  }

  /** Deploys a worker running {@code handlers}, woken by NOTIFY and the poll. */
  String deploy(JobHandlers handlers, JobsConfig config) {
    return vertx.deployVerticle(new JobWorkerVerticle(queue, handlers, config, registry,
        Database.connectOptions(url))).await();
  }

  void undeploy(String id) {
    vertx.undeploy(id).await();
  }

  String url() {
    return url;
  }

  Job find(java.util.UUID id) {
    return queue.find(id).await();
  }

  @Override
  public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
