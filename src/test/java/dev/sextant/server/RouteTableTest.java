package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.ConfigLoader;
import dev.sextant.config.SextantConfig;
import dev.sextant.support.OpenApi;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The route table")
class RouteTableTest {

  @Test
  @DisplayName("has exactly the paths and methods docs/openapi.yaml describes, both ways")
  void routesEqualTheDocument(Vertx vertx) {
    // every route mounted, the admin ones included; nothing is connected to
    SextantConfig config = ConfigLoader.load(vertx, Map.of(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none",
        "REDIS_URL", "redis://127.0.0.1:1",
        "SEXTANT_ADMIN_TOKEN", "an-admin-token")).await();
    PrometheusMeterRegistry registry = Application.newRegistry();
    Pool pool = dev.sextant.db.Database.createPool(vertx, config.database());
    Redis redis = Redis.createClient(vertx, config.redis().url());
    Services services = Services.create(vertx, config, pool, redis, registry,
        dev.sextant.cluster.ClusterMembership.standalone());
    Router router = ApiRouter.create(vertx, services, Resources.create(vertx, services));

    Set<String> served = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && !route.methods().isEmpty()) {
        route.methods().forEach(m -> served.add(m.name() + " " + route.getPath()));
      }
    }
    Set<String> documented = new TreeSet<>();
    OpenApi.document().operations().forEach(op ->
        documented.add(op.method() + " " + op.template().replaceAll("\\{([^}]+)}", ":$1")));

    assertThat(served).as("routes the server mounts").isEqualTo(documented);
    pool.close();
    redis.close();
  }
}
