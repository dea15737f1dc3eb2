package dev.sextant.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Process-wide state that readiness reports: once draining, the instance answers unready. It also
 * keeps the verdict of the last readiness probe, so that the {@code sextant_ready} gauge shows what
 * the load balancer last saw without a scrape of its own reaching PostgreSQL.
 */
public final class Lifecycle {

  private final AtomicBoolean draining = new AtomicBoolean();
  /** The instance starts only once migrations have reached PostgreSQL. */
  private final AtomicBoolean databaseUp = new AtomicBoolean(true);

  public boolean isDraining() {
    return draining.get();
  }

  public void startDraining() {
    draining.set(true);
  }

  /** What the last {@code /health/ready} found of PostgreSQL. */
  void recordDatabase(boolean up) {
    databaseUp.set(up);
  }

  /** Not draining, and PostgreSQL answered the last readiness probe. */
  public boolean isReady() {
    return databaseUp.get() && !draining.get();
  }
}
