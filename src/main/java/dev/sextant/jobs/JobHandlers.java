package dev.sextant.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handler of each job kind this instance runs, with how many of its jobs may run at once. A
 * worker claims only the kinds registered here, so instances may run different kinds.
 */
public final class JobHandlers {

  /** A kind's handler and its concurrency limit in this instance. */
  public record Registration(JobHandler handler, int concurrency) {}

  private final Map<String, Registration> byKind = new LinkedHashMap<>();
  private final int defaultConcurrency;

  public JobHandlers(int defaultConcurrency) {
    this.defaultConcurrency = defaultConcurrency;
  }

  /** Registers {@code kind} with the configured concurrency per kind. */
  public JobHandlers register(String kind, JobHandler handler) {
    return register(kind, handler, defaultConcurrency);
  }

  public JobHandlers register(String kind, JobHandler handler, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency of " + kind + " must be at least 1");
    }
    byKind.put(kind, new Registration(handler, concurrency));
    return this;
  }

  Map<String, Registration> byKind() {
    return Map.copyOf(byKind);
  }
}
