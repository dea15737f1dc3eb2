package dev.sextant.ops;

import dev.sextant.http.Routes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** {@code GET /metrics}: this process's registry in the Prometheus text format. */
public final class MetricsRoute implements Routes {

  private final PrometheusMeterRegistry registry;

  public MetricsRoute(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void mount(Router router) {
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }
}
