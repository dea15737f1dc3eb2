package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.sextant.embedded.FreePort;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two clustered instances in one JVM, over one database and Redis, their event bus joined by
 * Hazelcast on 127.0.0.1. The near-cache TTL is ten minutes, so only the bus can explain another
 * instance refusing a revoked key or an ended session within the test's deadline.
 */
@DisplayName("Two clustered instances")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

  private static final Duration BUS_DEADLINE = Duration.ofSeconds(5);
  private static final String CONFIGS = "/api/v1/model-configs";

  private static int firstPort;
  private static TestServer a;
  private static TestServer b;

  @BeforeAll
  static void startTwoMembers() {
    firstPort = FreePort.find();
    a = TestServer.start(Map.of(
        "SEXTANT_CLUSTER_ENABLED", "true",
        "SEXTANT_CLUSTER_HOST", "127.0.0.1",
        "SEXTANT_CLUSTER_PORT", String.valueOf(firstPort),
        "SEXTANT_CLUSTER_MEMBERS", "127.0.0.1:" + firstPort,
        "SEXTANT_CACHE_NEAR_CACHE_TTL_MS", "600000"));
    // the second one takes any free port and joins the first
    b = a.sibling(Map.of("SEXTANT_CLUSTER_PORT", "0"));
    Await.until(Duration.ofSeconds(30), () -> members(a) == 2 && members(b) == 2,
        "both instances to see a cluster of two");
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  private static JsonObject clusterCheck(TestServer server) {
    Response ready = server.client.get("/health/ready", null);
    return ready.json().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals("cluster")).findFirst().orElseThrow();
  }

  private static int members(TestServer server) {
    JsonObject data = clusterCheck(server).getJsonObject("data", new JsonObject());
    return data.getInteger("members", 0);
  }

  /** The {@code sextant_cluster_members} gauge {@code server} serves on /metrics. */
  private static double membersGauge(TestServer server) {
    return server.client.get("/metrics", null).body().lines()
        .filter(line -> line.startsWith("sextant_cluster_members"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no sextant_cluster_members on /metrics"));
  }

  /** Polls until {@code server} refuses {@code token} at {@code path}; the time it took. */
  private static long refusedWithin(TestServer server, String path, String token, String what) {
    long started = System.nanoTime();
    Await.until(BUS_DEADLINE, () -> server.client.get(path, token).status() == 401, what);
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Test
  @Order(1)
  @DisplayName("report themselves clustered, each with its node, in the readiness body and metrics")
  void readinessShowsTheCluster() {
    for (TestServer server : new TestServer[] {a, b}) {
      assertThat(membersGauge(server)).isEqualTo(2.0);
      JsonObject check = clusterCheck(server);
      assertThat(check.getString("status")).isEqualTo("UP");
      assertThat(check.getJsonObject("data").getString("mode")).isEqualTo("clustered");
      assertThat(check.getJsonObject("data").getString("node")).isNotBlank();
    }
    assertThat(clusterCheck(a).getJsonObject("data").getString("node"))
        .isNotEqualTo(clusterCheck(b).getJsonObject("data").getString("node"));
  }

  @Test
  @Order(2)
  @DisplayName("refuse a key revoked on one instance on the other long before the near-cache TTL")
  void revocationReachesTheOtherInstance() {
    String session = a.client.newSession();
    String projectId = a.client.newProject(session, "revoke");
    JsonObject created = a.client.post("/api/v1/projects/" + projectId + "/api-keys", session,
        new JsonObject().put("name", "k")).json();
    String key = created.getString("key");
    assertThat(b.client.get("/api/v1/project", key).status()).isEqualTo(200);
    assertThat(b.client.get("/api/v1/project", key).status()).as("from b's near-cache").isEqualTo(200);
    assertThat(a.client.delete("/api/v1/projects/" + projectId + "/api-keys/" + created.getString("id"),
        session).status()).isEqualTo(204);
    long ms = refusedWithin(b, "/api/v1/project", key, "the other instance to refuse the revoked key");
    System.out.println("cluster: revoked key refused by the other instance after " + ms + " ms");
  }

  @Test
  @Order(3)
  @DisplayName("end a session logged out on one instance on the other long before the near-cache TTL")
  void logoutReachesTheOtherInstance() {
    String session = a.client.newSession();
    assertThat(b.client.get("/api/v1/me", session).status()).isEqualTo(200);
    assertThat(b.client.get("/api/v1/me", session).status()).as("from b's near-cache").isEqualTo(200);
    assertThat(a.client.post("/api/v1/auth/logout", session, null).status()).isEqualTo(204);
    long ms = refusedWithin(b, "/api/v1/me", session, "the other instance to refuse the ended session");
    System.out.println("cluster: ended session refused by the other instance after " + ms + " ms");
  }

  @Test
  @Order(4)
  @DisplayName("serve a label moved on one instance from the other at once")
  void labelMoveReachesTheOtherInstance() {
    String key = a.client.newProjectKey();
    JsonObject first = new JsonObject().put("name", "bot").put("provider", "anthropic")
        .put("model", "m1").put("labels", new JsonArray().add("prod"));
    assertThat(a.client.post(CONFIGS, key, first).status()).isEqualTo(201);
    assertThat(a.client.post(CONFIGS, key, first.copy().put("model", "m2").put("labels", new JsonArray()))
        .status()).isEqualTo(201);
    assertThat(b.client.get(CONFIGS + "/bot?label=prod", key).json().getInteger("version")).isEqualTo(1);
    assertThat(a.client.put(CONFIGS + "/bot/labels/prod", key, new JsonObject().put("version", 2))
        .status()).isEqualTo(200);
    long started = System.nanoTime();
    Await.until(BUS_DEADLINE,
        () -> b.client.get(CONFIGS + "/bot?label=prod", key).json().getInteger("version") == 2,
        "the other instance to serve the moved label");
    System.out.println("cluster: label move served by the other instance after "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  @Test
  @Order(5)
  @DisplayName("keep an instance that loses the cluster ready and serving, its cluster check down")
  void losingTheClusterKeepsServing() {
    String session = b.client.newSession();
    String projectId = b.client.newProject(session, "alone");
    JsonObject created = b.client.post("/api/v1/projects/" + projectId + "/api-keys", session,
        new JsonObject().put("name", "k")).json();
    String key = created.getString("key");
    // b's member is the one of the two in this JVM not on the first port
    HazelcastInstance bMember = Hazelcast.getAllHazelcastInstances().stream()
        .filter(h -> h.getCluster().getLocalMember().getAddress().getPort() != firstPort)
        .findFirst().orElseThrow();
    bMember.getLifecycleService().terminate();

    Await.until(BUS_DEADLINE, () -> clusterCheck(b).getString("status").equals("DOWN"),
        "b's cluster check to report the lost cluster");
    Response ready = b.client.get("/health/ready", null);
    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
    assertThat(b.client.get("/api/v1/project", key).status()).isEqualTo(200);
    assertThat(b.client.delete("/api/v1/projects/" + projectId + "/api-keys/" + created.getString("id"),
        session).status()).isEqualTo(204);
    assertThat(b.client.get("/api/v1/project", key).status()).as("revoked where it was revoked")
        .isEqualTo(401);
    // Hazelcast's own failure detection, not the event bus: as long as start-up's join may take
    Await.until(Duration.ofSeconds(30), () -> members(a) == 1, "a to see b gone");
    assertThat(a.client.get("/health/ready", null).status()).isEqualTo(200);
    assertThat(membersGauge(b)).as("b, out of its cluster").isEqualTo(0.0);
    assertThat(membersGauge(a)).as("a, alone in it").isEqualTo(1.0);
  }
}
