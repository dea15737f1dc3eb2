package dev.sextant.db;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.embedded.EmbeddedPostgres;
import dev.sextant.embedded.FreePort;
import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under a steady stream of ingests and reads, as an operator does it
 * ({@code pg_ctl stop -m fast}, then start): OTLP exporters retry a 503 and drop the data of a
 * 500, so the difference between the two is whether data is lost.
 */
@DisplayName("When PostgreSQL restarts under load")
class DatabaseRestartTest {

  private static final int CLIENTS = 3;

  /** What the clients saw: every status, the 5xx other than 503, 503s without Retry-After. */
  private static final class Observed {
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final AtomicInteger unavailable = new AtomicInteger();

    void record(String what, Response r) {
      statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
      if (r.status() == 503) {
        unavailable.incrementAndGet();
        if (r.header("Retry-After") == null) {
          unexpected.add(what + " 503 without Retry-After");
        }
      } else if (r.status() >= 500) {
        unexpected.add(what + " " + r.status() + " " + r.body());
      }
    }

    int successes() {
      return statuses.entrySet().stream().filter(e -> e.getKey() < 300)
          .mapToInt(e -> e.getValue().get()).sum();
    }
  }

  @Test
  @DisplayName("answers 503 with Retry-After and never 500, readiness goes 503 and back, nothing acknowledged is lost")
  void restartUnderLoad() throws Exception {
    EmbeddedPostgres postgres = TestInfra.startOwnPostgres(FreePort.find());
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    AtomicBoolean running = new AtomicBoolean(true);
    Observed seen = new Observed();
    try (TestServer server = TestServer.start(Map.of(
        "DATABASE_URL", postgres.url("postgres"),
        // a refused connection fails at once; this bounds a connection attempt that hangs
        "SEXTANT_DATABASE_CONNECT_TIMEOUT_MS", "2000"))) {
      ApiClient api = server.client;
      String key = api.newProjectKey();
      List<Future<?>> loops = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        loops.add(clients.submit(() -> {
          while (running.get()) {
            step(api, key, seen);
          }
          return null;
        }));
      }
      Await.until(Duration.ofSeconds(60), () -> seen.acknowledged.size() >= 10, "ingests before the stop");

      postgres.stop();
      int unavailableAtStop = seen.unavailable.get();
      Await.until(Duration.ofSeconds(30), () -> api.get("/health/ready", null).status() == 503,
          "readiness to go 503");
      Response notReady = api.get("/health/ready", null);
      assertThat(notReady.status()).isEqualTo(503);
      assertThat(notReady.header("Retry-After")).isEqualTo("1");
      Await.until(Duration.ofSeconds(30), () -> seen.unavailable.get() > unavailableAtStop + CLIENTS,
          "requests answered while the database is away");

      postgres.startAgain();
      Await.until(Duration.ofSeconds(60), () -> api.get("/health/ready", null).status() == 200,
          "readiness to come back");
      int successesAtStart = seen.successes();
      Await.until(Duration.ofSeconds(60), () -> seen.successes() > successesAtStart + 20,
          "requests served after the restart");
      running.set(false);
      for (Future<?> loop : loops) {
        loop.get(60, TimeUnit.SECONDS);
      }

      assertThat(seen.unexpected).as("answers other than success, 4xx or 503 with Retry-After; all: "
          + seen.statuses).isEmpty();
      assertThat(seen.unavailable.get()).isPositive();
      for (String id : seen.acknowledged) {
        assertThat(api.get("/api/v1/traces/" + id, key).status()).as("acknowledged trace " + id)
            .isEqualTo(200);
      }
    } finally {
      running.set(false);
      clients.shutdownNow();
      postgres.close();
    }
  }

  /** One ingest of a new trace, a read of it, and a list: what an exporter and a UI do. */
  private static void step(ApiClient api, String key, Observed seen) {
    String id = UUID.randomUUID().toString();
    Response ingest = api.post("/api/v1/ingest", key,
        batch(trace(new JsonObject().put("id", id).put("name", "restart"))));
    seen.record("POST /api/v1/ingest", ingest);
    if (ingest.status() == 207
        && ingest.json().getJsonArray("results").getJsonObject(0).getInteger("status") == 201) {
      seen.acknowledged.add(id);
      seen.record("GET /api/v1/traces/{id}", api.get("/api/v1/traces/" + id, key));
    }
    seen.record("GET /api/v1/traces", api.get("/api/v1/traces?limit=5", key));
  }
}
