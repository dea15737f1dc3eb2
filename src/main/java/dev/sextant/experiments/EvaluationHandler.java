package dev.sextant.experiments;

import dev.sextant.evaluators.Evaluation;
import dev.sextant.evaluators.Evaluator;
import dev.sextant.evaluators.Evaluators;
import dev.sextant.jobs.Job;
import dev.sextant.jobs.JobHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs an experiment's evaluators over some of its results (a job of kind
 * {@value #KIND}) and writes one score per evaluator and result,
 * named after the evaluator. The evaluations run on a worker pool of their own, never on an event
 * loop, each within its time budget; the scores are upserted under the result's version, so a
 * second delivery of the job, or a crash half-way, leaves one score per name and never the score
 * of an output that has since been replaced.
 */
public final class EvaluationHandler implements JobHandler {

  /** The job kind: an evaluator pass over some results of one experiment. */
  public static final String KIND = "experiment_evaluation";

  private final Pool pool;
  private final WorkerExecutor workers;
  private final Counter scored;
  private final Counter notApplicable;
  private final Counter timedOut;

  public EvaluationHandler(Pool pool, WorkerExecutor workers, MeterRegistry registry) {
    this.pool = pool;
    this.workers = workers;
    this.scored = outcome(registry, "scored");
    this.notApplicable = outcome(registry, "not_applicable");
    this.timedOut = outcome(registry, "timed_out");
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("sextant_evaluations").tag("outcome", outcome)
        .description("Evaluator runs over experiment results, by outcome").register(registry);
  }

  /** Scores of one pass, as the columns they are written from. */
  private record Scores(List<String> resultItems, List<Integer> versions, List<String> items,
      List<String> names, List<Double> values) {

    Scores() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  @Override
  public Future<Void> handle(Job job) {
    UUID experimentId = UUID.fromString(job.payload().getString("experiment_id"));
    String[] itemIds = job.payload().getJsonArray("item_ids", new JsonArray()).stream()
        .map(String::valueOf).toArray(String[]::new);
    return pool.preparedQuery(ExperimentSql.TO_EVALUATE).execute(Tuple.of(experimentId, (Object) itemIds))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : workers.executeBlocking(() -> evaluate(rows), false)
                .compose(scores -> write(experimentId, scores)));
  }

  private Scores evaluate(RowSet<Row> rows) {
    List<Evaluator> evaluators = Evaluators.parse(rows.iterator().next().getValue("evaluators"));
    Scores scores = new Scores();
    for (Row row : rows) {
      String itemId = row.getString("item_id");
      scores.resultItems().add(itemId);
      scores.versions().add(row.getInteger("version"));
      Object output = json(row.getValue("output"));
      Object expected = json(row.getValue("expected_output"));
      for (Evaluator evaluator : evaluators) {
        Evaluation evaluation = evaluator.evaluate(output, expected);
        if (evaluation instanceof Evaluation.Score score) {
          scored.increment();
          scores.items().add(itemId);
          scores.names().add(evaluator.name());
          scores.values().add(score.value());
        } else if (evaluation instanceof Evaluation.TimedOut) {
          timedOut.increment();
        } else {
          notApplicable.increment();
        }
      }
    }
    return scores;
  }

  private Future<Void> write(UUID experimentId, Scores scores) {
    Tuple params = Tuple.of(experimentId, scores.resultItems().toArray(new String[0]),
        scores.versions().toArray(new Integer[0]), scores.items().toArray(new String[0]),
        scores.names().toArray(new String[0]), scores.values().toArray(new Double[0]));
    return pool.withTransaction(conn -> conn.preparedQuery(ExperimentSql.LOCK_FOR_SCORES)
        .execute(Tuple.of(experimentId))
        .compose(locked -> conn.preparedQuery(ExperimentSql.WRITE_EVALUATION).execute(params)))
        .mapEmpty();
  }

  private static Object json(Object value) {
    return value == Tuple.JSON_NULL ? null : value;
  }
}
