package dev.sextant.ops;

import dev.sextant.cache.ResilientRedis;
import dev.sextant.http.Routes;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * {@code GET /bench/ceiling}, mounted only when {@code bench.ceiling_route} is true: one Redis GET
 * and a constant body, through the same router and handlers as every route. The benchmark divides
 * cached-read throughput by this route's to show how close a cached read is to the floor cost of a
 * request that touches Redis once.
 */
public final class CeilingRoute implements Routes {

  private static final Buffer BODY = Buffer.buffer("{\"ok\":true}");

  private final ResilientRedis redis;

  public CeilingRoute(ResilientRedis redis) {
    this.redis = redis;
  }

  @Override
  public void mount(Router router) {
    String key = redis.key("bench", "ceiling");
    router.get("/bench/ceiling").handler(ctx -> redis.send(Request.cmd(Command.GET).arg(key))
        .onComplete(ar -> ctx.response().putHeader("Content-Type", "application/json").end(BODY)));
  }
}
