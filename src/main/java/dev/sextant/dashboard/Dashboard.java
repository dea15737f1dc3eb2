package dev.sextant.dashboard;

import dev.sextant.rollups.Aggregate;

import java.time.Instant;
import java.util.List;

/** One dashboard answer (API.md section 8). */
record Dashboard(Window window, List<Point> series, Figures totals, List<ModelUse> topModels,
    List<TraceName> topTraces) {

  /** The figures of a bucket or of the whole window; the percentiles are null without traces. */
  record Figures(long traces, long errors, Double latencyP50Ms, Double latencyP95Ms,
      long inputTokens, long outputTokens, double cost) {

    static Figures of(Aggregate a) {
      return new Figures(a.count, a.errors, a.p50(), a.p95(), a.inputTokens, a.outputTokens, a.cost);
    }
  }

  record Point(Instant ts, Figures figures) {}

  record ModelUse(String model, long calls, long inputTokens, long outputTokens, double cost) {}

  record TraceName(String name, long count, Double p95Ms) {}
}
