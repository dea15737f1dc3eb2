package dev.sextant.server;

import dev.sextant.auth.ApiKeyService;
import dev.sextant.auth.AuthRoutes;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.CredentialCache;
import dev.sextant.config.SextantConfig;
import dev.sextant.http.Routes;
import dev.sextant.ingest.IngestRoutes;
import dev.sextant.ingest.IngestService;
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
import dev.sextant.traces.TraceRoutes;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every resource of the server, built once per process with its dependencies: the one place a new
 * resource is wired. {@code operations} are mounted ahead of the API's cross-cutting handlers
 * (never limited, no body), {@code api} after them, in this order.
 */
record Resources(List<Routes> operations, List<Routes> api) {

  static Resources create(Vertx vertx, Services services) {
    SextantConfig config = services.config();
    CredentialCache credentials = new CredentialCache(
        Duration.ofMillis(config.cache().nearCacheTtlMs()), config.cache().nearCacheMaxEntries(),
        services.cacheMetrics());
    ApiKeyService apiKeys = new ApiKeyService(services.pool(), credentials);
    Authenticator auth = new Authenticator(services.pool(), apiKeys, credentials);
    IngestService ingest = new IngestService(services.pool(), services.registry(), services.cache());

    List<Routes> operations = List.of(
        new HealthRoutes(vertx, services.pool(), services.redis(),
            config.redis().healthTimeoutMs(), services.lifecycle()),
        new MetricsRoute(services.registry()),
        new OpenApiRoutes(vertx));
    List<Routes> api = new ArrayList<>(List.of(
        new AuthRoutes(vertx, services.pool(), auth, config.auth()),
        new ProjectRoutes(services.pool(), auth, apiKeys),
        new IngestRoutes(ingest, auth),
        new OtlpRoutes(vertx, ingest, auth),
        new TraceRoutes(services.pool(), auth, services.cache(), config.cache()),
        new ModelConfigRoutes(services.pool(), auth),
        new AdminRoutes(config.adminToken(), services.registry(), services.routeStats(),
            services.cacheMetrics(), services.cache(), credentials::clear,
            services.resilientRedis()),
        new JobRoutes(config.adminToken(), new JobQueue(services.pool(), config.jobs().maxAttempts()))));
    if (config.benchCeilingRoute()) {
      api.add(new CeilingRoute(services.resilientRedis()));
    }
    return new Resources(operations, List.copyOf(api));
  }
}
