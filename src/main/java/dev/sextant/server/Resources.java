package dev.sextant.server;

import dev.sextant.auth.ApiKeyService;
import dev.sextant.auth.AuthRoutes;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.CredentialCache;
import dev.sextant.config.SextantConfig;
import dev.sextant.dashboard.DashboardRoutes;
import dev.sextant.dashboard.RollupJob;
import dev.sextant.dashboard.RollupTrigger;
import dev.sextant.experiments.DatasetRoutes;
import dev.sextant.experiments.EvaluationHandler;
import dev.sextant.experiments.ExperimentRoutes;
import dev.sextant.http.Routes;
import dev.sextant.ingest.IngestRoutes;
import dev.sextant.ingest.IngestService;
import dev.sextant.jobs.JobHandler;
import dev.sextant.jobs.JobQueue;
import dev.sextant.jobs.JobRoutes;
import dev.sextant.modelconfigs.ModelConfigRoutes;
import dev.sextant.ops.AdminRoutes;
import dev.sextant.ops.CeilingRoute;
import dev.sextant.ops.HealthRoutes;
import dev.sextant.ops.MetricsRoute;
import dev.sextant.ops.OpenApiRoutes;
import dev.sextant.otlp.OtlpRoutes;
import dev.sextant.projects.ProjectRoutes;
import dev.sextant.retention.ExpiredTraces;
import dev.sextant.retention.RetentionJob;
import dev.sextant.rollups.RollupRebuildRoutes;
import dev.sextant.traces.TraceRoutes;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every resource of the server, built once per process with its dependencies: the one place a new
 * resource is wired. {@code operations} are mounted ahead of the API's cross-cutting handlers
 * (never limited, no body), {@code api} after them, in this order. {@code jobHandlers} are the
 * background job kinds the resources run, by kind, on the shared {@code jobQueue}.
 */
record Resources(List<Routes> operations, List<Routes> api, JobQueue jobQueue,
    Map<String, JobHandler> jobHandlers) {

  static Resources create(Vertx vertx, Services services) {
    SextantConfig config = services.config();
    CredentialCache credentials = new CredentialCache(
        Duration.ofMillis(config.cache().nearCacheTtlMs()), config.cache().nearCacheMaxEntries(),
        services.cacheMetrics(), services.clusterBus());
    ApiKeyService apiKeys = new ApiKeyService(services.pool(), credentials);
    Authenticator auth = new Authenticator(services.pool(), apiKeys, credentials);
    JobQueue jobQueue = new JobQueue(services.pool(), config.jobs().maxAttempts());
    Map<String, JobHandler> jobHandlers = new LinkedHashMap<>();
    jobHandlers.put(EvaluationHandler.KIND, new EvaluationHandler(services.pool(),
        vertx.createSharedWorkerExecutor("sextant-evaluators", Runtime.getRuntime().availableProcessors()),
        services.registry()));
    RollupJob rollupJob = new RollupJob(vertx, services.pool(), services.cache(), services.registry());
    jobHandlers.put(RollupJob.KIND, rollupJob);
    RollupTrigger rollupTrigger = new RollupTrigger(vertx, jobQueue, config.dashboard().rollupDelayMs(),
        () -> Math.round(config.dashboard().rollupPauseFactor() * rollupJob.lastPassMs()),
        config.jobs().maxAttempts());
    IngestService ingest = new IngestService(services.pool(), services.registry(), services.cache(),
        rollupTrigger);
    // retention runs each resource's clean-up in turn: a resource with rows of its own to expire
    // adds its RetentionCleanup to this list
    jobHandlers.put(RetentionJob.KIND, new RetentionJob(
        List.of(new ExpiredTraces(services.pool(), services.cache(), config.retention().batchTraces(),
            rollupTrigger)),
        jobQueue, config.retention().timeBudgetMs(), config.jobs().maxAttempts()));

    List<Routes> operations = List.of(
        new HealthRoutes(vertx, services.pool(), services.redis(),
            config.redis().healthTimeoutMs(), services.lifecycle(), services.membership()),
        new MetricsRoute(services.registry()),
        new OpenApiRoutes(vertx));
    List<Routes> api = new ArrayList<>(List.of(
        new AuthRoutes(vertx, services.pool(), auth, config.auth()),
        new ProjectRoutes(services.pool(), auth, apiKeys),
        new IngestRoutes(ingest, auth),
        new OtlpRoutes(vertx, ingest, auth),
        new TraceRoutes(services.pool(), auth, services.cache(), config.cache(), rollupTrigger),
        new ModelConfigRoutes(services.pool(), auth, services.cache(), config.cache().modelConfigTtlSeconds()),
        new DatasetRoutes(services.pool(), auth),
        new ExperimentRoutes(services.pool(), auth, jobQueue, services.cacheMetrics()),
        new DashboardRoutes(services.pool(), auth, services.cache(),
            config.dashboard().cacheTtlSeconds()),
        new AdminRoutes(config.adminToken(), services.registry(), services.routeStats(),
            services.cacheMetrics(), services.cache(), credentials::clear,
            services.resilientRedis()),
        new JobRoutes(config.adminToken(), jobQueue),
        new RollupRebuildRoutes(config.adminToken(), services.pool(), rollupTrigger)));
    if (config.benchCeilingRoute()) {
      api.add(new CeilingRoute(services.resilientRedis()));
    }
    return new Resources(operations, List.copyOf(api), jobQueue, Map.copyOf(jobHandlers));
  }
}
