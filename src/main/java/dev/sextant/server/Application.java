package dev.sextant.server;

import dev.sextant.cluster.ClusterMembership;
import dev.sextant.config.SextantConfig;
import dev.sextant.config.SextantConfig.TelemetryConfig;
import dev.sextant.db.Database;
import dev.sextant.db.Migrations;
import dev.sextant.db.TableMaintenance;
import dev.sextant.embedded.FreePort;
import dev.sextant.jobs.JobHandlers;
import dev.sextant.jobs.JobQueue;
import dev.sextant.jobs.JobWorkerVerticle;
import dev.sextant.jobs.Scheduler;
import dev.sextant.ratelimit.RateLimiterVerticle;
import dev.sextant.telemetry.SelfTracing;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Sextant instance: schema migrated, pools open, the rate limiter and the HTTP verticles
 * deployed. {@link Main} starts one for a command line, tests start as many as they need, each in
 * a Vert.x instance of its own.
 */
public final class Application {

  private static final Logger log = LoggerFactory.getLogger(Application.class);

  /** The response time the latency objective promises (the seed's "responses under 200 ms"). */
  public static final Duration LATENCY_OBJECTIVE = Duration.ofMillis(200);

  private final Vertx vertx;
  private final Services services;
  private final String limiterId;
  private final String httpId;
  private final List<String> backgroundIds;
  private final int port;

  private Application(Vertx vertx, Services services, String limiterId, String httpId,
      List<String> backgroundIds, int port) {
    this.vertx = vertx;
    this.services = services;
    this.limiterId = limiterId;
    this.httpId = httpId;
    this.backgroundIds = backgroundIds;
    this.port = port;
  }

  /** A Vert.x instance reporting to its own Prometheus registry, labelled by route template. */
  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    return builder(registry, new VertxOptions(), null).build();
  }

  /**
   * As {@link #newVertx(PrometheusMeterRegistry)}, joined to the cluster when {@code membership}
   * is clustered (the event bus then spans the members; pass the same membership to
   * {@link #start(Vertx, PrometheusMeterRegistry, SextantConfig, ClusterMembership)}), and tracing
   * itself as {@code telemetry} says (no tracer at all when it is null or names no endpoint).
   */
  public static Future<Vertx> newVertx(PrometheusMeterRegistry registry,
      ClusterMembership membership, TelemetryConfig telemetry) {
    return membership.manager()
        .map(manager -> builder(registry, new VertxOptions().setEventBusOptions(
                new EventBusOptions().setHost(membership.host()).setClusterPublicHost(membership.host())),
            telemetry).withClusterManager(manager).buildClustered())
        .orElseGet(() -> Future.succeededFuture(builder(registry, new VertxOptions(), telemetry).build()));
  }

  private static VertxBuilder builder(PrometheusMeterRegistry registry, VertxOptions options,
      TelemetryConfig telemetry) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // no event-bus address label: the bus carries the rate limiter's questions (one per
        // request, at one fixed address; replies go to internal addresses, which are not metered),
        // so its meters are one series each, whatever comes to use the bus later
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
            Label.POOL_TYPE, Label.POOL_NAME, Label.CLIENT_NAME))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true));
    VertxBuilder builder = Vertx.builder()
        // one event loop per core, not Vert.x's default two: the rate limiter then shares its loop
        // with an HTTP verticle, whose questions reach it without a thread hop (cached reads,
        // asked once each: 11.3k req/s with 2 loops per core, 13.6k with one; 14.3k with a limiter
        // on every HTTP loop, measured with wrk on 2 cores)
        .with(options.setMetricsOptions(metrics)
            .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()))
        .withMetrics(new MicrometerMetricsFactory(registry));
    // Sextant's own tracer only when an endpoint is named: otherwise no tracing cost at all
    return telemetry == null ? builder : SelfTracing.of(telemetry).install(builder);
  }

  /**
   * A Prometheus registry whose HTTP response-time histogram has a bucket at exactly the latency
   * objective, {@link #LATENCY_OBJECTIVE} (its default buckets straddle it), so the share of
   * requests slower than the objective is counted, not interpolated (conf/prometheus/rules.yml).
   */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("vertx.http.server.response.time")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives((double) LATENCY_OBJECTIVE.toNanos())
            .build().merge(config);
      }
    });
    return registry;
  }

  /**
   * Migrates the schema (off the event loop), opens the pools, deploys the rate limiter (one per
   * instance, asked by every HTTP verticle), the job worker and the scheduler (when enabled), then the HTTP
   * verticles.
   */
  public static Future<Application> start(Vertx vertx, PrometheusMeterRegistry registry,
      SextantConfig config) {
    return start(vertx, registry, config, ClusterMembership.standalone());
  }

  /** As above, for a Vert.x built by {@link #newVertx(PrometheusMeterRegistry, ClusterMembership)}. */
  public static Future<Application> start(Vertx vertx, PrometheusMeterRegistry registry,
      SextantConfig config, ClusterMembership membership) {
    int instances = config.http().effectiveInstances();
    // every instance must bind the same port, so a requested "any port" is chosen once, here
    int port = config.http().port() == 0 ? FreePort.find() : config.http().port();
    return Migrations.migrate(vertx, config.database().url()).compose(applied -> {
      Pool pool = Database.createPool(vertx, config.database());
      Redis redis = Redis.createClient(vertx, new RedisOptions()
          .setConnectionString(config.redis().url())
          .setMaxPoolSize(config.redis().poolSize())
          .setMaxWaitingHandlers(4096));
      Services services = Services.create(vertx, config, pool, redis, registry, membership);
      Resources resources = Resources.create(vertx, services);
      // evictions from the other members are heard before this instance takes a request
      Future<String> limiter = services.clusterBus().subscribed().compose(v -> vertx.deployVerticle(
          new RateLimiterVerticle(services.resilientRedis(), config.rateLimit())));
      Future<List<String>> background = limiter.compose(limiterId -> vertx.deployVerticle(
              new TableMaintenance(pool, config.database().maintenanceIntervalMs(), registry))
          .compose(maintenanceId -> deployJobWorker(vertx, services, resources)
              .map(jobIds -> concat(jobIds, maintenanceId))));
      return background
          .compose(backgroundIds -> vertx.deployVerticle(() -> new ApiVerticle(services, resources, port),
              new DeploymentOptions().setInstances(instances)))
          .map(httpId -> {
            log.info("sextant listening on http://{}:{}", config.http().host(), port);
            return new Application(vertx, services, limiter.result(), httpId, background.result(), port);
          });
    });
  }

  /**
   * The job worker running the resources' job kinds, and the scheduler ({@code jobs.schedules}),
   * or nothing when {@code jobs.enabled} is off.
   */
  private static Future<List<String>> deployJobWorker(Vertx vertx, Services services,
      Resources resources) {
    SextantConfig config = services.config();
    if (!config.jobs().enabled()) {
      return Future.succeededFuture(List.of());
    }
    JobQueue queue = resources.jobQueue();
    JobHandlers handlers = new JobHandlers(config.jobs().concurrencyPerKind());
    resources.jobHandlers().forEach(handlers::register);
    Clock clock = Clock.systemUTC();
    return vertx.deployVerticle(new JobWorkerVerticle(queue, handlers, config.jobs(),
            services.registry(), Database.connectOptions(config.database().url()), clock))
        .compose(workerId -> vertx.deployVerticle(new Scheduler(queue, config.jobs(), clock))
            .map(schedulerId -> List.of(schedulerId, workerId)));
  }

  private static List<String> concat(List<String> ids, String id) {
    List<String> all = new ArrayList<>(ids);
    all.add(id);
    return all;
  }

  /** Undeploys {@code ids} one after the other, in their order, whatever each one's outcome. */
  private Future<Void> undeployAll(List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain;
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Graceful stop: answer unready first (so a load balancer stops sending), then stop accepting and
   * let in-flight requests finish (bounded), then stop the limiter they asked, close the pools and
   * Vert.x.
   */
  public Future<Void> stop() {
    services.lifecycle().startDraining();
    long delay = services.config().http().drainDelayMs();
    Future<Void> drained = delay > 0 ? vertx.timer(delay).mapEmpty() : Future.succeededFuture();
    Future<Void> released = drained
        .compose(v -> vertx.undeploy(httpId))
        .onComplete(v -> log.info("HTTP servers stopped"))
        .eventually(() -> undeployAll(backgroundIds))
        .eventually(() -> vertx.undeploy(limiterId))
        .eventually(() -> services.pool().close())
        .eventually(() -> services.redis().close());
    // Vert.x completes its own close from a fresh thread; chaining it to a future bound to one of
    // its (by then terminated) event loops would never complete, so hand its result on directly.
    Promise<Void> closed = Promise.promise();
    released.onComplete(v -> vertx.close().onComplete(closed));
    return closed.future();
  }
}
