package dev.sextant.experiments;

import java.util.Map;

/**
 * The aggregates of an experiment's results at one revision: counts, cost, exact latency
 * percentiles (interpolated, null without latencies) and each score name's figures.
 */
record ResultTotals(long resultCount, double totalCost, Double latencyP50, Double latencyP95,
    long pendingEvaluations, Map<String, ScoreTotals> scores) {

  record ScoreTotals(double mean, double min, double max, long count) {}
}
