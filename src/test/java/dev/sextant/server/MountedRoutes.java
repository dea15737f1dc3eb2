package dev.sextant.server;

import dev.sextant.cluster.ClusterMembership;
import dev.sextant.config.ConfigLoader;
import dev.sextant.config.SextantConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes a server configured by {@code env} mounts, read from the router {@link ApiRouter}
 * builds out of {@link Resources}, as {@code "METHOD /path/:param"}: the list tests hold their
 * expectations against, so a route added later cannot be left out of them. Nothing is connected
 * to: the pools are built and closed unused.
 */
public final class MountedRoutes {

  private MountedRoutes() {}

  public static Set<String> of(Map<String, String> env) {
    Vertx vertx = Vertx.vertx();
    try {
      SextantConfig config = ConfigLoader.load(vertx, env).await();
      Pool pool = dev.sextant.db.Database.createPool(vertx, config.database());
      Redis redis = Redis.createClient(vertx, config.redis().url());
      Services services = Services.create(vertx, config, pool, redis, Application.newRegistry(),
          ClusterMembership.standalone());
      Router router = ApiRouter.create(vertx, services, Resources.create(vertx, services));
      Set<String> served = new TreeSet<>();
      for (Route route : router.getRoutes()) {
        if (route.getPath() != null && !route.methods().isEmpty()) {
          route.methods().forEach(m -> served.add(m.name() + " " + route.getPath()));
        }
      }
      pool.close();
      redis.close();
      return served;
    } finally {
      vertx.close().await();
    }
  }
}
