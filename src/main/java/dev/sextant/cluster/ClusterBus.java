package dev.sextant.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evictions every instance must apply at once: a revoked key, an ended session, a retired cached
 * answer. Each is published on the event bus, which in clustered mode reaches every instance (and
 * stays in the process otherwise); the publishing instance has evicted already and ignores its own
 * message. Delivery is best effort: an instance the message misses still drops the entry when its
 * TTL runs out, so the bus only shortens how long a stale entry can be served.
 */
public final class ClusterBus {

  private static final Logger log = LoggerFactory.getLogger(ClusterBus.class);
  /** One address for every topic: a message names its topic, so the bus has one subscription. */
  static final String ADDRESS = "sextant.evictions";

  private final Vertx vertx;
  private final Future<Void> subscribed;
  private final String origin = UUID.randomUUID().toString();
  private final Map<String, CopyOnWriteArrayList<Consumer<String>>> subscribers =
      new ConcurrentHashMap<>();

  public ClusterBus(Vertx vertx) {
    this.vertx = vertx;
    // alone, nobody publishes to it: no consumer (the event bus keeps its one handler, the limiter)
    this.subscribed = vertx.isClustered()
        ? vertx.eventBus().<JsonObject>consumer(ADDRESS, message -> deliver(message.body())).completion()
        : Future.succeededFuture();
  }

  /** Completes once this instance's subscription is known to the cluster. */
  public Future<Void> subscribed() {
    return subscribed;
  }

  /** Tells every other instance to evict {@code key} of {@code topic}. */
  public void publish(String topic, String key) {
    if (!vertx.isClustered()) {
      // alone, there is nobody to tell: every ingest would pay for a message to itself
      return;
    }
    vertx.eventBus().publish(ADDRESS, new JsonObject()
        .put("origin", origin).put("topic", topic).put("key", key));
  }

  /** Runs {@code evict} with the key of every {@code topic} eviction published by another instance. */
  public void subscribe(String topic, Consumer<String> evict) {
    subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(evict);
  }

  private void deliver(JsonObject eviction) {
    if (origin.equals(eviction.getString("origin"))) {
      return;
    }
    var evictions = subscribers.get(eviction.getString("topic", ""));
    if (evictions == null) {
      return;
    }
    String key = eviction.getString("key");
    for (Consumer<String> evict : evictions) {
      try {
        evict.accept(key);
      } catch (RuntimeException e) {
        log.warn("eviction of {} failed: {}", eviction.getString("topic"), e.toString());
      }
    }
  }
}
