package dev.sextant.experiments;

import dev.sextant.auth.Authenticator;
import dev.sextant.cache.CacheMetrics;
import dev.sextant.common.Ids;
import dev.sextant.evaluators.Evaluator;
import dev.sextant.evaluators.Evaluators;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.JsonBodies;
import dev.sextant.http.Problem;
import dev.sextant.http.QueryParams;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import dev.sextant.jobs.JobQueue;
import dev.sextant.modelconfigs.ModelConfigVersions;
import dev.sextant.validation.InvalidInputException;
import dev.sextant.validation.Validator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;

/**
 * Experiments over a dataset (API.md section 6): created running with their evaluators, results
 * written per item (207), completed, summarised, listed and compared. Everything is scoped to the
 * key's project: another project's experiment is not found.
 */
public final class ExperimentRoutes implements Routes {

  static final String NO_EXPERIMENT = "No such experiment";

  private final ExperimentRepository experiments;
  private final ExperimentSummaries summaries;
  private final ModelConfigVersions modelConfigs;
  private final Authenticator auth;

  public ExperimentRoutes(Pool pool, Authenticator auth, JobQueue jobs, CacheMetrics cacheMetrics) {
    this.experiments = new ExperimentRepository(pool, jobs);
    this.summaries = new ExperimentSummaries(experiments, cacheMetrics);
    this.modelConfigs = new ModelConfigVersions(pool);
    this.auth = auth;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/experiments").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::createExperiment));
    // before /:id, which would take "compare" for an id
    router.get("/api/v1/experiments/compare").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::compareExperiments));
    router.get("/api/v1/experiments/:id").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::getExperiment));
    router.post("/api/v1/experiments/:id/results").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::writeResults));
    router.get("/api/v1/experiments/:id/results").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::listResults));
    router.post("/api/v1/experiments/:id/complete").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::completeExperiment));
  }

  private Future<?> createExperiment(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Validator v = new Validator(body);
    String name = v.requiredString("name", Validator.MAX_NAME);
    UUID datasetId = datasetId(v, body);
    ModelConfigRef modelConfig = ModelConfigRef.read(v, body);
    String metadata = v.optionalObjectJson("metadata");
    List<Evaluator> evaluators = List.of();
    try {
      evaluators = Evaluators.parse(body.getValue("evaluators"));
    } catch (InvalidInputException e) {
      e.errors().forEach(error -> v.error(error.field(), error.message()));
    }
    v.validate();
    UUID projectId = projectId(ctx);
    Experiment.Draft draft = new Experiment.Draft(name, datasetId,
        modelConfig == null ? null : modelConfig.toJson().encode(),
        new JsonArray(evaluators.stream().map(Evaluator::toJson).toList()).encode(), metadata);
    Future<Boolean> configExists = modelConfig == null ? Future.succeededFuture(true)
        : modelConfigs.exists(projectId, modelConfig.name(), modelConfig.version());
    return configExists
        .compose(exists -> exists ? experiments.create(Ids.newUuid(), projectId, draft)
            : Future.failedFuture(InvalidInputException.of("model_config",
                "the project has no model config " + modelConfig.name() + " version " + modelConfig.version())))
        .compose(created -> created == null
            ? Future.failedFuture(InvalidInputException.of("dataset_id", "the project has no such dataset"))
            : respondWithSummary(ctx, 201, created));
  }

  private Future<?> getExperiment(RoutingContext ctx) {
    return found(experiments.find(projectId(ctx), experimentId(ctx)))
        .compose(experiment -> respondWithSummary(ctx, 200, experiment));
  }

  private Future<?> writeResults(RoutingContext ctx) {
    UUID experimentId = experimentId(ctx);
    ResultsRequest request = ResultsRequest.read(JsonBodies.object(ctx));
    return experiments.writeResults(projectId(ctx), experimentId, request.distinctDrafts())
        .compose(written -> switch (written.outcome()) {
          case NOT_FOUND -> Future.failedFuture(Problem.notFound(NO_EXPERIMENT));
          case COMPLETED -> Future.failedFuture(
              Problem.conflict("The experiment is completed: it takes no more results"));
          case WRITTEN -> Responses.json(ctx, 207, request.answer(written.refused()));
        });
  }

  private Future<?> listResults(RoutingContext ctx) {
    return experiments.results(projectId(ctx), experimentId(ctx),
            QueryParams.cursor(ctx), QueryParams.limit(ctx))
        .compose(page -> page == null ? Future.failedFuture(Problem.notFound(NO_EXPERIMENT))
            : Responses.page(ctx, page, ExperimentJson::result));
  }

  private Future<?> completeExperiment(RoutingContext ctx) {
    return found(experiments.complete(projectId(ctx), experimentId(ctx)))
        .compose(experiment -> respondWithSummary(ctx, 200, experiment));
  }

  private Future<?> compareExperiments(RoutingContext ctx) {
    List<UUID> ids = comparedIds(ctx);
    UUID projectId = projectId(ctx);
    Future<Experiment> a = found(experiments.find(projectId, ids.get(0)));
    Future<Experiment> b = found(experiments.find(projectId, ids.get(1)));
    return Future.all(a, b).compose(both -> {
      Experiment ea = a.result();
      Experiment eb = b.result();
      Future<ResultTotals> ta = summaries.totals(ea);
      Future<ResultTotals> tb = summaries.totals(eb);
      Future<ExperimentSummaries.Compared> compared = summaries.compare(ea, eb);
      return Future.all(ta, tb, compared).compose(all -> Responses.json(ctx, 200,
          ExperimentJson.comparison(ExperimentJson.summary(ea, ta.result()),
              ExperimentJson.summary(eb, tb.result()), compared.result().commonItems(),
              Comparison.everyName(compared.result().byName(), ta.result(), tb.result()))));
    });
  }

  private Future<Void> respondWithSummary(RoutingContext ctx, int status, Experiment experiment) {
    return summaries.totals(experiment)
        .compose(totals -> Responses.json(ctx, status, ExperimentJson.summary(experiment, totals)));
  }

  private static Future<Experiment> found(Future<Experiment> experiment) {
    return experiment.compose(e -> e == null ? Future.failedFuture(Problem.notFound(NO_EXPERIMENT))
        : Future.succeededFuture(e));
  }

  /** {@code ids=A,B}: two experiment ids. */
  private static List<UUID> comparedIds(RoutingContext ctx) {
    String raw = ctx.queryParams().get("ids");
    String[] parts = raw == null ? new String[0] : raw.split(",", -1);
    UUID a = parts.length == 2 ? Ids.parseUuid(parts[0].trim()) : null;
    UUID b = parts.length == 2 ? Ids.parseUuid(parts[1].trim()) : null;
    if (a == null || b == null) {
      throw Problem.invalid("ids", "must be two experiment ids separated by a comma: ids=A,B");
    }
    return List.of(a, b);
  }

  /** {@code dataset_id}: required, a UUID. */
  private static UUID datasetId(Validator v, JsonObject body) {
    Object value = body.getValue("dataset_id");
    if (value == null) {
      v.error("dataset_id", "required");
      return null;
    }
    UUID id = value instanceof String s ? Ids.parseUuid(s) : null;
    v.check(id != null, "dataset_id", "must be a dataset id (a UUID)");
    return id;
  }

  private static UUID projectId(RoutingContext ctx) {
    return Authenticator.project(ctx).projectId();
  }

  /** The id in the path; one that no experiment could have is simply not found. */
  private static UUID experimentId(RoutingContext ctx) {
    UUID id = Ids.parseUuid(ctx.pathParam("id"));
    if (id == null) {
      throw Problem.notFound(NO_EXPERIMENT);
    }
    return id;
  }

  /** {@code model_config: {name, version}}: the model config version an experiment ran. */
  private record ModelConfigRef(String name, int version) {

    static ModelConfigRef read(Validator v, JsonObject body) {
      Object value = body.getValue("model_config");
      if (value == null) {
        return null;
      }
      if (!(value instanceof JsonObject object)) {
        v.error("model_config", "must be an object {name, version}");
        return null;
      }
      Validator inner = new Validator(object, "model_config.");
      String name = inner.requiredString("name", Validator.MAX_NAME);
      Integer version = inner.optionalInt("version", 1, Integer.MAX_VALUE);
      inner.check(object.getValue("version") != null, "version", "required");
      for (String key : object.fieldNames()) {
        inner.check(key.equals("name") || key.equals("version"), key, "is not a field of model_config");
      }
      inner.errors().forEach(error -> v.error(error.field(), error.message()));
      return inner.hasErrors() ? null : new ModelConfigRef(name, version);
    }

    JsonObject toJson() {
      return new JsonObject().put("name", name).put("version", version);
    }
  }
}
