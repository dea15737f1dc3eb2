package dev.sextant.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.MountedRoutes;
import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Batches;
import dev.sextant.support.Injected;
import dev.sextant.support.Problems;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route the server mounts, asked by every kind of caller that should not get through, and by
 * a caller of another project with the ids of this one's data: the answer is the status the
 * contract names (401 for credentials of the wrong kind or none, 404 for another project's ids,
 * never 403), and no answer carries another project's data. The route list comes from the router
 * itself ({@link MountedRoutes}), so a route added without an entry here fails the build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("The authorisation matrix")
class AuthorisationMatrixTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
  /** Written into the other project's data: an answer to this project that contains it leaked. */
  private static final String MARKER = "leak-marker-" + UUID.randomUUID().toString().substring(0, 8);

  @RegisterExtension
  static final ServerExtension extension =
      ServerExtension.withEnv(Map.of("SEXTANT_ADMIN_TOKEN", ADMIN_TOKEN));

  @Injected private static ApiClient api;

  /** What a route lets through. */
  enum Guard { PUBLIC, SESSION, API_KEY, ADMIN }

  /** Who asks. The first group has no business on any guarded route but its own kind. */
  enum Caller {
    NONE, BOGUS_SESSION, BOGUS_KEY, NOT_A_TOKEN, LOGGED_OUT_SESSION, REVOKED_KEY, OWN_SESSION,
    OWN_KEY, ADMIN;

    /** The guard this caller passes, or null when it passes none. */
    Guard passes() {
      return switch (this) {
        case OWN_SESSION -> Guard.SESSION;
        case OWN_KEY -> Guard.API_KEY;
        case ADMIN -> Guard.ADMIN;
        default -> null;
      };
    }
  }

  /**
   * One route: its guard, the path a caller of project A sends to reach project B's data, a
   * valid body, and what that caller (authenticated, of the right kind, but not of B) gets: 0 for
   * any 2xx answer (the route has no id of B's in it: the answer must be A's own, checked by the
   * marker), else the status.
   */
  record Entry(String method, String template, Guard guard, Function<World, String> path,
      Function<World, Object> body, int crossProjectStatus) {

    String key() {
      return method + " " + template;
    }
  }

  /** Project A (the caller's) and project B (the one whose data must not show). */
  record World(String emailA, String sessionA, String loggedOutSessionA, String projectA, String keyA,
      String revokedKeyA, String experimentA, String sessionB, String projectB, String keyB,
      String keyIdB, String traceB, String datasetB, String experimentB, String configB) {}

  private static World world;
  private static final AtomicInteger cases = new AtomicInteger();
  private static Map<String, String> before;

  private static final String PASSWORD = "correct horse battery";

  static List<Entry> matrix() {
    List<Entry> e = new ArrayList<>();
    // operations: open to anyone, whatever they send
    for (String path : List.of("/health/live", "/health/ready", "/metrics", "/openapi.yaml", "/openapi.json")) {
      e.add(new Entry("GET", path, Guard.PUBLIC, w -> path, null, 0));
    }
    e.add(new Entry("POST", "/api/v1/auth/signup", Guard.PUBLIC, w -> "/api/v1/auth/signup",
        w -> new JsonObject().put("email", "m-" + UUID.randomUUID() + "@example.com")
            .put("password", PASSWORD).put("name", "Matrix"), 0));
    e.add(new Entry("POST", "/api/v1/auth/login", Guard.PUBLIC, w -> "/api/v1/auth/login",
        w -> new JsonObject().put("email", w.emailA()).put("password", PASSWORD), 0));
    // people
    e.add(new Entry("POST", "/api/v1/auth/logout", Guard.SESSION, w -> "/api/v1/auth/logout", null, 0));
    e.add(new Entry("GET", "/api/v1/me", Guard.SESSION, w -> "/api/v1/me", null, 0));
    e.add(new Entry("POST", "/api/v1/projects", Guard.SESSION, w -> "/api/v1/projects",
        w -> new JsonObject().put("name", "matrix " + UUID.randomUUID()), 0));
    e.add(new Entry("GET", "/api/v1/projects", Guard.SESSION, w -> "/api/v1/projects", null, 0));
    e.add(new Entry("POST", "/api/v1/projects/:id/api-keys", Guard.SESSION,
        w -> "/api/v1/projects/" + w.projectB() + "/api-keys", w -> new JsonObject().put("name", "k"), 404));
    e.add(new Entry("GET", "/api/v1/projects/:id/api-keys", Guard.SESSION,
        w -> "/api/v1/projects/" + w.projectB() + "/api-keys", null, 404));
    e.add(new Entry("DELETE", "/api/v1/projects/:id/api-keys/:keyId", Guard.SESSION,
        w -> "/api/v1/projects/" + w.projectB() + "/api-keys/" + w.keyIdB(), null, 404));
    // SDKs and exporters
    e.add(new Entry("GET", "/api/v1/project", Guard.API_KEY, w -> "/api/v1/project", null, 0));
    e.add(new Entry("POST", "/api/v1/ingest", Guard.API_KEY, w -> "/api/v1/ingest",
        w -> Batches.batch(Batches.trace(new JsonObject().put("id", "m-" + UUID.randomUUID()).put("name", "a"))), 0));
    e.add(new Entry("POST", "/v1/traces", Guard.API_KEY, w -> "/v1/traces",
        w -> new JsonObject().put("resourceSpans", new JsonArray()), 0));
    e.add(new Entry("GET", "/api/v1/traces", Guard.API_KEY, w -> "/api/v1/traces?name=" + MARKER, null, 0));
    e.add(new Entry("GET", "/api/v1/traces/stats", Guard.API_KEY, w -> "/api/v1/traces/stats?group_by=name", null, 0));
    e.add(new Entry("GET", "/api/v1/traces/:id", Guard.API_KEY, w -> "/api/v1/traces/" + w.traceB(), null, 404));
    e.add(new Entry("DELETE", "/api/v1/traces/:id", Guard.API_KEY, w -> "/api/v1/traces/" + w.traceB(), null, 404));
    e.add(new Entry("GET", "/api/v1/dashboard", Guard.API_KEY, w -> "/api/v1/dashboard?window=24h", null, 0));
    e.add(new Entry("POST", "/api/v1/model-configs", Guard.API_KEY, w -> "/api/v1/model-configs",
        w -> new JsonObject().put("name", "m-" + UUID.randomUUID()).put("provider", "p").put("model", "m"), 0));
    e.add(new Entry("GET", "/api/v1/model-configs", Guard.API_KEY, w -> "/api/v1/model-configs", null, 0));
    e.add(new Entry("GET", "/api/v1/model-configs/:name", Guard.API_KEY,
        w -> "/api/v1/model-configs/" + w.configB(), null, 404));
    e.add(new Entry("GET", "/api/v1/model-configs/:name/versions", Guard.API_KEY,
        w -> "/api/v1/model-configs/" + w.configB() + "/versions", null, 404));
    e.add(new Entry("PUT", "/api/v1/model-configs/:name/labels/:label", Guard.API_KEY,
        w -> "/api/v1/model-configs/" + w.configB() + "/labels/prod", w -> new JsonObject().put("version", 1), 404));
    e.add(new Entry("POST", "/api/v1/datasets", Guard.API_KEY, w -> "/api/v1/datasets",
        w -> new JsonObject().put("name", "m-" + UUID.randomUUID()), 0));
    e.add(new Entry("GET", "/api/v1/datasets", Guard.API_KEY, w -> "/api/v1/datasets", null, 0));
    e.add(new Entry("GET", "/api/v1/datasets/:id", Guard.API_KEY, w -> "/api/v1/datasets/" + w.datasetB(), null, 404));
    e.add(new Entry("POST", "/api/v1/datasets/:id/items", Guard.API_KEY,
        w -> "/api/v1/datasets/" + w.datasetB() + "/items",
        w -> new JsonObject().put("items", new JsonArray().add(new JsonObject().put("id", "i1").put("input", "x"))), 404));
    e.add(new Entry("GET", "/api/v1/datasets/:id/items", Guard.API_KEY,
        w -> "/api/v1/datasets/" + w.datasetB() + "/items", null, 404));
    // another project's dataset named in a body is a field error (400), the way an unknown one is
    e.add(new Entry("POST", "/api/v1/experiments", Guard.API_KEY, w -> "/api/v1/experiments",
        w -> new JsonObject().put("name", "m").put("dataset_id", w.datasetB()), 400));
    e.add(new Entry("GET", "/api/v1/experiments/compare", Guard.API_KEY,
        w -> "/api/v1/experiments/compare?ids=" + w.experimentA() + "," + w.experimentB(), null, 404));
    e.add(new Entry("GET", "/api/v1/experiments/:id", Guard.API_KEY,
        w -> "/api/v1/experiments/" + w.experimentB(), null, 404));
    e.add(new Entry("POST", "/api/v1/experiments/:id/results", Guard.API_KEY,
        w -> "/api/v1/experiments/" + w.experimentB() + "/results",
        w -> new JsonObject().put("results", new JsonArray().add(new JsonObject().put("item_id", "i1").put("output", "o"))), 404));
    e.add(new Entry("GET", "/api/v1/experiments/:id/results", Guard.API_KEY,
        w -> "/api/v1/experiments/" + w.experimentB() + "/results", null, 404));
    e.add(new Entry("POST", "/api/v1/experiments/:id/complete", Guard.API_KEY,
        w -> "/api/v1/experiments/" + w.experimentB() + "/complete", null, 404));
    // operators
    e.add(new Entry("GET", "/api/v1/admin/performance", Guard.ADMIN, w -> "/api/v1/admin/performance", null, 0));
    e.add(new Entry("POST", "/api/v1/admin/cache/flush", Guard.ADMIN, w -> "/api/v1/admin/cache/flush", null, 0));
    e.add(new Entry("GET", "/api/v1/admin/jobs", Guard.ADMIN, w -> "/api/v1/admin/jobs?status=queued", null, 0));
    e.add(new Entry("POST", "/api/v1/admin/jobs/:id/retry", Guard.ADMIN,
        w -> "/api/v1/admin/jobs/" + UUID.randomUUID() + "/retry", null, 404));
    e.add(new Entry("POST", "/api/v1/admin/projects/:id/rollups/rebuild", Guard.ADMIN,
        w -> "/api/v1/admin/projects/" + UUID.randomUUID() + "/rollups/rebuild", null, 404));
    return e;
  }

  @BeforeAll
  static void twoProjects() {
    String emailA = "a-" + UUID.randomUUID() + "@example.com";
    String sessionA = signUpAndLogIn(emailA);
    String loggedOut = logIn(emailA);
    assertThat(api.post("/api/v1/auth/logout", loggedOut, null).status()).isEqualTo(204);
    String projectA = api.newProject(sessionA, "project a");
    String keyA = api.newApiKey(sessionA, projectA);
    JsonObject revoked = api.post("/api/v1/projects/" + projectA + "/api-keys", sessionA,
        new JsonObject().put("name", "revoked")).json();
    assertThat(api.delete("/api/v1/projects/" + projectA + "/api-keys/" + revoked.getString("id"),
        sessionA).status()).isEqualTo(204);
    String datasetA = created(api.post("/api/v1/datasets", keyA, new JsonObject().put("name", "a")));
    String experimentA = created(api.post("/api/v1/experiments", keyA,
        new JsonObject().put("name", "a").put("dataset_id", datasetA)));

    String sessionB = signUpAndLogIn("b-" + UUID.randomUUID() + "@example.com");
    String projectB = api.newProject(sessionB, MARKER + " project");
    JsonObject keyB = api.post("/api/v1/projects/" + projectB + "/api-keys", sessionB,
        new JsonObject().put("name", MARKER)).json();
    String key = keyB.getString("key");
    String traceB = "trace-b-" + UUID.randomUUID();
    assertThat(api.post("/api/v1/ingest", key, Batches.batch(
        Batches.trace(new JsonObject().put("id", traceB).put("name", MARKER)
            .put("user_id", MARKER).put("input", new JsonObject().put("q", MARKER))),
        Batches.span(new JsonObject().put("id", "s-" + UUID.randomUUID()).put("trace_id", traceB)
            .put("name", MARKER).put("model", MARKER).put("input_tokens", 5)))).status()).isEqualTo(207);
    String configB = "config-b-" + UUID.randomUUID();
    assertThat(api.post("/api/v1/model-configs", key, new JsonObject().put("name", configB)
        .put("provider", MARKER).put("model", MARKER).put("prompt_template", MARKER)).status()).isEqualTo(201);
    assertThat(api.put("/api/v1/model-configs/" + configB + "/labels/prod", key,
        new JsonObject().put("version", 1)).status()).isEqualTo(200);
    String datasetB = created(api.post("/api/v1/datasets", key,
        new JsonObject().put("name", MARKER).put("description", MARKER)));
    assertThat(api.post("/api/v1/datasets/" + datasetB + "/items", key, new JsonObject().put("items",
        new JsonArray().add(new JsonObject().put("id", "i1").put("input", MARKER)
            .put("expected_output", MARKER)))).status()).isEqualTo(201);
    String experimentB = created(api.post("/api/v1/experiments", key,
        new JsonObject().put("name", MARKER).put("dataset_id", datasetB)));
    assertThat(api.post("/api/v1/experiments/" + experimentB + "/results", key,
        new JsonObject().put("results", new JsonArray().add(new JsonObject().put("item_id", "i1")
            .put("output", MARKER))))).extracting(Response::status).isEqualTo(207);

    world = new World(emailA, sessionA, loggedOut, projectA, keyA, revoked.getString("key"),
        experimentA, sessionB, projectB, key, keyB.getString("id"), traceB, datasetB, experimentB, configB);
    before = projectBAsItsOwnerSeesIt();
  }

  @Test
  @Order(1)
  @DisplayName("has an entry for every route the server mounts, and none for a route it does not")
  void coversEveryMountedRoute() {
    Set<String> mounted = MountedRoutes.of(Map.of(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none",
        "REDIS_URL", "redis://127.0.0.1:1",
        "SEXTANT_ADMIN_TOKEN", ADMIN_TOKEN));
    Set<String> entries = new TreeSet<>();
    matrix().forEach(entry -> entries.add(entry.key()));
    assertThat(entries).as("matrix entries").isEqualTo(mounted);
  }

  @TestFactory
  @Order(2)
  @DisplayName("answers each caller of each route with the status the contract names, never with another project's data")
  Stream<DynamicTest> everyRouteByEveryCaller() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Entry entry : matrix()) {
      for (Caller caller : EnumSet.allOf(Caller.class)) {
        tests.add(DynamicTest.dynamicTest(entry.key() + " as " + caller, () -> check(entry, caller)));
      }
    }
    return tests.stream();
  }

  @Test
  @Order(3)
  @DisplayName("leaves the other project exactly as it was, and its own key still working")
  void otherProjectUntouched() {
    System.out.println("[matrix] " + cases.get() + " cases ran over " + matrix().size() + " routes");
    assertThat(cases.get()).isEqualTo(matrix().size() * Caller.values().length);
    assertThat(projectBAsItsOwnerSeesIt()).isEqualTo(before);
  }

  @Test
  @Order(4)
  @DisplayName("refuses to revoke another project's key through one's own project (404), and the key keeps working")
  void revokeThroughOwnProject() {
    Response r = api.delete("/api/v1/projects/" + world.projectA() + "/api-keys/" + world.keyIdB(),
        world.sessionA());
    Problems.assertProblem(r, 404);
    assertThat(api.get("/api/v1/project", world.keyB()).status()).isEqualTo(200);
  }

  private static void check(Entry entry, Caller caller) {
    cases.incrementAndGet();
    String token = token(caller, entry);
    Response r = send(entry, token);
    String cell = entry.key() + " as " + caller + ": " + r.status() + " " + r.body();
    assertThat(r.status()).as(cell).isLessThan(500);
    if (caller != Caller.ADMIN) {
      assertThat(r.body()).as(cell).doesNotContain(MARKER);
    }
    if (entry.guard() == Guard.PUBLIC) {
      assertThat(r.status()).as(cell).isBetween(200, 299);
      return;
    }
    if (caller.passes() != entry.guard()) {
      Problems.assertProblem(r, 401);
      assertThat(r.header("WWW-Authenticate")).as(cell).isEqualTo("Bearer");
      return;
    }
    if (entry.crossProjectStatus() == 0) {
      assertThat(r.status()).as(cell).isBetween(200, 299);
    } else {
      Problems.assertProblem(r, entry.crossProjectStatus());
    }
  }

  private static String token(Caller caller, Entry entry) {
    return switch (caller) {
      case NONE -> null;
      case BOGUS_SESSION -> "sxs_" + UUID.randomUUID().toString().replace("-", "");
      case BOGUS_KEY -> "sxk_" + UUID.randomUUID().toString().replace("-", "");
      case NOT_A_TOKEN -> "not-a-token";
      case LOGGED_OUT_SESSION -> world.loggedOutSessionA();
      case REVOKED_KEY -> world.revokedKeyA();
      // logging out ends the session it is sent with: that one is made for the purpose
      case OWN_SESSION -> entry.template().equals("/api/v1/auth/logout") ? logIn(world.emailA()) : world.sessionA();
      case OWN_KEY -> world.keyA();
      case ADMIN -> ADMIN_TOKEN;
    };
  }

  private static Response send(Entry entry, String token) {
    HttpRequest.Builder b = api.request(entry.path().apply(world));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    Object body = entry.body() == null ? null : entry.body().apply(world);
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString());
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return api.send(b.method(entry.method(), publisher).build());
  }

  /** What B's owner reads of B's project: everything a cross-project write could have changed. */
  private static Map<String, String> projectBAsItsOwnerSeesIt() {
    Map<String, String> seen = new LinkedHashMap<>();
    String key = world.keyB();
    for (String path : List.of("/api/v1/project", "/api/v1/traces/" + world.traceB(),
        "/api/v1/datasets/" + world.datasetB(), "/api/v1/datasets/" + world.datasetB() + "/items",
        "/api/v1/experiments/" + world.experimentB(), "/api/v1/experiments/" + world.experimentB() + "/results",
        "/api/v1/model-configs/" + world.configB() + "?label=prod", "/api/v1/model-configs/" + world.configB() + "/versions")) {
      Response r = api.get(path, key);
      assertThat(r.status()).as(path).isEqualTo(200);
      seen.put(path, r.body());
    }
    Response keys = api.get("/api/v1/projects/" + world.projectB() + "/api-keys", world.sessionB());
    assertThat(keys.status()).isEqualTo(200);
    seen.put("keys", keys.body());
    return seen;
  }

  private static String signUpAndLogIn(String email) {
    assertThat(api.post("/api/v1/auth/signup", null, new JsonObject().put("email", email)
        .put("password", PASSWORD).put("name", "Matrix")).status()).isEqualTo(201);
    return logIn(email);
  }

  private static String logIn(String email) {
    Response login = api.post("/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", PASSWORD));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    return login.json().getString("token");
  }

  private static String created(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }
}
