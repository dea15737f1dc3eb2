package dev.sextant.experiments;

import dev.sextant.common.Cursors;
import dev.sextant.common.Page;
import dev.sextant.jobs.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Experiments of one project, their results and scores; rows are mapped into records here, once. */
final class ExperimentRepository {

  /**
   * Evaluations (results × evaluators) per evaluation job, at most: each is bounded in time (a
   * regex by its budget, Levenshtein by its input bound, about 0.1 s at worst), so one job stays
   * far inside the job time limit however many evaluators an experiment has.
   */
  static final int EVALUATIONS_PER_JOB = 300;
  /** Scores that differ by no more than this count as unchanged in a comparison. */
  static final double SAME_SCORE = 1e-9;

  private static final OffsetDateTime FAR_PAST = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  /** What a results write came to. */
  enum Outcome { WRITTEN, NOT_FOUND, COMPLETED }

  /** The outcome and, when written, the items refused with the reason, by item id. */
  record ResultsWrite(Outcome outcome, Map<String, String> refused) {}

  private final Pool pool;
  private final JobQueue jobs;

  ExperimentRepository(Pool pool, JobQueue jobs) {
    this.pool = pool;
    this.jobs = jobs;
  }

  /** The new experiment, or null when the project has no such dataset. */
  Future<Experiment> create(UUID id, UUID projectId, Experiment.Draft draft) {
    Tuple params = Tuple.of(id, projectId, draft.datasetId(), draft.name(), draft.modelConfig(),
        draft.evaluators(), draft.metadata());
    return pool.preparedQuery(ExperimentSql.INSERT).execute(params)
        .map(rows -> rows.size() == 0 ? null : experiment(rows.iterator().next()));
  }

  /** The experiment, or null when the project has none of that id. */
  Future<Experiment> find(UUID projectId, UUID id) {
    return pool.preparedQuery(ExperimentSql.FIND).execute(Tuple.of(id, projectId))
        .map(rows -> rows.size() == 0 ? null : experiment(rows.iterator().next()));
  }

  /** The aggregates of the experiment's results and scores, as committed now. */
  Future<ResultTotals> totals(UUID experimentId) {
    Tuple id = Tuple.of(experimentId);
    Future<Row> results = pool.preparedQuery(ExperimentSql.RESULT_TOTALS).execute(id)
        .map(rows -> rows.iterator().next());
    Future<Map<String, ResultTotals.ScoreTotals>> scores = pool.preparedQuery(ExperimentSql.SCORE_TOTALS)
        .execute(id).map(rows -> {
          Map<String, ResultTotals.ScoreTotals> byName = new LinkedHashMap<>();
          for (Row row : rows) {
            byName.put(row.getString("name"), new ResultTotals.ScoreTotals(row.getDouble("mean"),
                row.getDouble("min"), row.getDouble("max"), row.getLong("count")));
          }
          return byName;
        });
    return Future.all(results, scores).map(both -> {
      Row row = results.result();
      Double cost = row.getDouble("total_cost");
      return new ResultTotals(row.getLong("result_count"), cost == null ? 0 : cost,
          row.getDouble("p50"), row.getDouble("p95"), row.getLong("pending"), scores.result());
    });
  }

  /**
   * Writes results (item ids distinct) and the scores sent with them in one transaction, with the
   * evaluation jobs of the written ones when the experiment has evaluators: what is acknowledged
   * is evaluated, however the process ends. Refused, with the reason: results of items not in the
   * experiment's dataset, and results sending a score named after one of its evaluators.
   */
  Future<ResultsWrite> writeResults(UUID projectId, UUID experimentId,
      List<ExperimentResult.Draft> drafts) {
    return pool.withTransaction(conn -> conn.preparedQuery(ExperimentSql.LOCK_FOR_RESULTS)
        .execute(Tuple.of(experimentId, projectId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(new ResultsWrite(Outcome.NOT_FOUND, Map.of()));
          }
          Row experiment = rows.iterator().next();
          if (Experiment.COMPLETED.equals(experiment.getString("status"))) {
            return Future.succeededFuture(new ResultsWrite(Outcome.COMPLETED, Map.of()));
          }
          Set<String> evaluatorNames = evaluatorNames(jsonArray(experiment.getValue("evaluators")));
          String[] itemIds = drafts.stream().map(ExperimentResult.Draft::itemId).toArray(String[]::new);
          return conn.preparedQuery(ExperimentSql.KNOWN_ITEMS)
              .execute(Tuple.of(experiment.getUUID("dataset_id"), (Object) itemIds))
              .compose(known -> {
                Set<String> items = new HashSet<>();
                known.forEach(row -> items.add(row.getString(0)));
                Map<String, String> refused = new HashMap<>();
                List<ExperimentResult.Draft> accepted = accept(drafts, items, evaluatorNames, refused);
                return write(conn, experimentId, accepted, evaluatorNames.size())
                    .map(new ResultsWrite(Outcome.WRITTEN, refused));
              });
        }));
  }

  private static List<ExperimentResult.Draft> accept(List<ExperimentResult.Draft> drafts,
      Set<String> items, Set<String> evaluatorNames, Map<String, String> refused) {
    List<ExperimentResult.Draft> accepted = new ArrayList<>(drafts.size());
    for (ExperimentResult.Draft draft : drafts) {
      if (!items.contains(draft.itemId())) {
        refused.put(draft.itemId(), "item_id: not an item of the experiment's dataset");
        continue;
      }
      String taken = draft.scores().keySet().stream().filter(evaluatorNames::contains)
          .findFirst().orElse(null);
      if (taken != null) {
        refused.put(draft.itemId(), "scores." + taken + ": the name of an evaluator of the experiment");
        continue;
      }
      accepted.add(draft);
    }
    return accepted;
  }

  private Future<Void> write(SqlConnection conn, UUID experimentId,
      List<ExperimentResult.Draft> results, int evaluators) {
    if (results.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = results.size();
    String[] itemIds = new String[n];
    String[] outputs = new String[n];
    String[] traceIds = new String[n];
    Double[] latencies = new Double[n];
    Long[] inputTokens = new Long[n];
    Long[] outputTokens = new Long[n];
    Double[] costs = new Double[n];
    List<String> scoreItems = new ArrayList<>();
    List<String> scoreNames = new ArrayList<>();
    List<Double> scoreValues = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ExperimentResult.Draft r = results.get(i);
      itemIds[i] = r.itemId();
      outputs[i] = r.output();
      traceIds[i] = r.traceId();
      latencies[i] = r.latencyMs();
      inputTokens[i] = r.inputTokens();
      outputTokens[i] = r.outputTokens();
      costs[i] = r.costUsd();
      r.scores().forEach((name, value) -> {
        scoreItems.add(r.itemId());
        scoreNames.add(name);
        scoreValues.add(value);
      });
    }
    Tuple upsert = Tuple.tuple(List.of(experimentId, itemIds, outputs, traceIds, latencies,
        inputTokens, outputTokens, costs, evaluators == 0));
    Future<?> written = conn.preparedQuery(ExperimentSql.UPSERT_RESULTS).execute(upsert);
    if (!scoreItems.isEmpty()) {
      written = written.compose(v -> conn.preparedQuery(ExperimentSql.UPSERT_API_SCORES).execute(
          Tuple.of(experimentId, scoreItems.toArray(new String[0]),
              scoreNames.toArray(new String[0]), scoreValues.toArray(new Double[0]))));
    }
    if (evaluators > 0) {
      written = written.compose(v -> jobs.enqueueAll(conn, EvaluationHandler.KIND,
          evaluationPayloads(experimentId, itemIds, Math.max(1, EVALUATIONS_PER_JOB / evaluators))));
    }
    return written.mapEmpty();
  }

  private static List<JsonObject> evaluationPayloads(UUID experimentId, String[] itemIds,
      int perJob) {
    List<JsonObject> payloads = new ArrayList<>();
    for (int from = 0; from < itemIds.length; from += perJob) {
      JsonArray chunk = new JsonArray();
      for (int i = from; i < Math.min(itemIds.length, from + perJob); i++) {
        chunk.add(itemIds[i]);
      }
      payloads.add(new JsonObject().put("experiment_id", experimentId.toString()).put("item_ids", chunk));
    }
    return payloads;
  }

  /**
   * Completes the experiment (a completed one stays as it was); the experiment as it is then, or
   * null when the project has no such experiment.
   */
  Future<Experiment> complete(UUID projectId, UUID experimentId) {
    return pool.preparedQuery(ExperimentSql.COMPLETE).execute(Tuple.of(experimentId, projectId))
        .compose(rows -> find(projectId, experimentId));
  }

  /** One page of the experiment's results, oldest first, or null when the project has no such experiment. */
  Future<Page<ExperimentResult>> results(UUID projectId, UUID experimentId, Cursors.Position after,
      int limit) {
    Tuple params = Tuple.of(experimentId, projectId, after == null ? FAR_PAST : after.time(),
        after == null ? "" : after.id(), Page.fetchSize(limit));
    return pool.preparedQuery(ExperimentSql.LIST_RESULTS).execute(params).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      List<ExperimentResult> results = new ArrayList<>(rows.size());
      for (Row row : rows) {
        if (row.getString("item_id") != null) {
          results.add(result(row));
        }
      }
      return Page.of(results, limit, ExperimentResult::position);
    });
  }

  /** Per score name both experiments scored, how b compares with a over the items both scored. */
  Future<List<Comparison>> compare(UUID a, UUID b) {
    return pool.preparedQuery(ExperimentSql.COMPARE).execute(Tuple.of(a, b, SAME_SCORE)).map(rows -> {
      List<Comparison> comparisons = new ArrayList<>(rows.size());
      for (Row row : rows) {
        comparisons.add(new Comparison(row.getString("name"), row.getLong("common"),
            row.getDouble("mean_a"), row.getDouble("mean_b"), row.getLong("improved"),
            row.getLong("regressed"), row.getLong("unchanged")));
      }
      return comparisons;
    });
  }

  /** How many items both experiments have a result for. */
  Future<Long> commonItems(UUID a, UUID b) {
    return pool.preparedQuery(ExperimentSql.COMMON_ITEMS).execute(Tuple.of(a, b))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Set<String> evaluatorNames(JsonArray evaluators) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < evaluators.size(); i++) {
      names.add(evaluators.getJsonObject(i).getString("name"));
    }
    return names;
  }

  static Experiment experiment(Row row) {
    return new Experiment(row.getUUID("id"), row.getString("name"), row.getUUID("dataset_id"),
        jsonObject(row.getValue("model_config")), jsonArray(row.getValue("evaluators")),
        jsonObject(row.getValue("metadata")), row.getString("status"), row.getLong("revision"),
        row.getLong("item_count"), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("completed_at"));
  }

  private static ExperimentResult result(Row row) {
    Map<String, Double> scores = new LinkedHashMap<>();
    if (row.getValue("scores") instanceof JsonObject object) {
      object.forEach(e -> scores.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    }
    Object output = row.getValue("output");
    return new ExperimentResult(row.getString("item_id"), output == Tuple.JSON_NULL ? null : output,
        row.getString("trace_id"), row.getDouble("latency_ms"), row.getLong("input_tokens"),
        row.getLong("output_tokens"), row.getDouble("cost_usd"), scores,
        row.getOffsetDateTime("evaluated_at"), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }

  static JsonObject jsonObject(Object value) {
    return value instanceof JsonObject object ? object : null;
  }

  static JsonArray jsonArray(Object value) {
    return value instanceof JsonArray array ? array : new JsonArray();
  }
}
