package dev.sextant.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/** Process-wide state that readiness reports: once draining, the instance answers unready. */
public final class Lifecycle {

  private final AtomicBoolean draining = new AtomicBoolean();

  public boolean isDraining() {
    return draining.get();
  }

  public void startDraining() {
    draining.set(true);
  }
}
