package dev.sextant.experiments;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sextant.cache.CacheMetrics;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * The aggregates of experiments' results, computed once per revision and kept in this process, and
 * their comparisons, computed once per pair of revisions.
 * The experiment's row, read on every request, carries the revision that every results, score or
 * completion write bumps in its own transaction: a kept summary is used only for the revision it
 * was computed at, so a read is current on every instance right after each acknowledged write,
 * while re-reads of an unchanged experiment cost one primary-key lookup.
 */
final class ExperimentSummaries {

  static final String CACHE = "experiment_summary";
  static final String COMPARISONS = "experiment_compare";
  /** Experiments whose totals are kept (a few hundred bytes each, more with many score names). */
  private static final long MAX_KEPT = 10_000;

  /** Totals computed at {@code revision} or later (they never miss a write of that revision). */
  private record Kept(long revision, ResultTotals totals) {}

  private final ExperimentRepository experiments;
  private final CacheMetrics metrics;
  private final Cache<UUID, Kept> kept;
  /** Comparisons by both experiments' ids and revisions: never stale, so never invalidated. */
  private final Cache<String, Compared> compared;

  /** The comparison of two experiments at their revisions. */
  record Compared(long commonItems, List<Comparison> byName) {}

  ExperimentSummaries(ExperimentRepository experiments, CacheMetrics metrics) {
    this.experiments = experiments;
    this.metrics = metrics;
    this.kept = Caffeine.newBuilder().maximumSize(MAX_KEPT).build();
    this.compared = Caffeine.newBuilder().maximumSize(MAX_KEPT).build();
  }

  Future<ResultTotals> totals(Experiment experiment) {
    Kept hit = kept.getIfPresent(experiment.id());
    if (hit != null && hit.revision() == experiment.revision()) {
      metrics.hit(CACHE);
      return Future.succeededFuture(hit.totals());
    }
    metrics.miss(CACHE);
    // read after the experiment's row, so these totals hold every write of its revision
    return experiments.totals(experiment.id()).onSuccess(totals -> kept.asMap().merge(
        experiment.id(), new Kept(experiment.revision(), totals),
        (old, fresh) -> old.revision() > fresh.revision() ? old : fresh));
  }

  /**
   * How b compares with a under each score name both scored, over the items both ran: computed
   * once per pair of revisions (read before the computation, as for the totals).
   */
  Future<Compared> compare(Experiment a, Experiment b) {
    // item ids are the dataset's own: experiments over different datasets share no item
    if (!a.datasetId().equals(b.datasetId())) {
      return Future.succeededFuture(new Compared(0, List.of()));
    }
    String key = a.id() + ":" + a.revision() + "/" + b.id() + ":" + b.revision();
    Compared hit = compared.getIfPresent(key);
    if (hit != null) {
      metrics.hit(COMPARISONS);
      return Future.succeededFuture(hit);
    }
    metrics.miss(COMPARISONS);
    Future<List<Comparison>> byName = experiments.compare(a.id(), b.id());
    Future<Long> common = experiments.commonItems(a.id(), b.id());
    return Future.all(byName, common)
        .map(both -> new Compared(common.result(), byName.result()))
        .onSuccess(result -> compared.put(key, result));
  }
}
