package dev.sextant.jobs;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Admin job routes")
class JobAdminTest {

  private static final String TOKEN = "admin-secret-jobs";

  @RegisterExtension
  static final ServerExtension extension = ServerExtension.withEnv(Map.of("SEXTANT_ADMIN_TOKEN", TOKEN));

  @Injected private static TestServer server;
  private static Workers workers;

  @BeforeAll
  static void workers() {
    workers = new Workers(server.databaseUrl(), 5);
  }

  @AfterAll
  static void close() {
    workers.close();
  }

  private static Response get(String path) {
    return server.client.get(path, TOKEN);
  }

  /** A job of {@code kind} that failed its only attempt. */
  private static UUID deadJob(String kind) {
    UUID id = workers.queue.enqueue(kind, new JsonObject(), null, 0, 1).await();
    List<Job> claimed = workers.queue.claim(kind, 1, 60).await();
    assertThat(workers.queue.fail(claimed.get(0), "broken", 0).await()).isEqualTo(Job.DEAD);
    return id;
  }

  @Test
  @DisplayName("list the jobs of one status newest first, a page at a time")
  void listPaged() {
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(0, workers.queue.enqueue("listed", new JsonObject().put("n", i)).await().toString());
    }
    UUID dead = deadJob("listed-dead");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response r = get("/api/v1/admin/jobs?status=queued&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.data().size()).isLessThanOrEqualTo(2);
      // other tests of the class may have queued jobs of other kinds
      r.data().stream().map(JsonObject.class::cast).filter(j -> "listed".equals(j.getString("kind")))
          .forEach(j -> seen.add(j.getString("id")));
      cursor = r.json().getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(queued);
    assertThat(pages).isGreaterThanOrEqualTo(3);

    Response deadPage = get("/api/v1/admin/jobs?status=dead");
    List<JsonObject> deadJobs = deadPage.data().stream().map(JsonObject.class::cast)
        .filter(j -> "listed-dead".equals(j.getString("kind"))).toList();
    assertThat(deadJobs).hasSize(1);
    assertThat(deadPage.data()).allMatch(j -> Job.DEAD.equals(((JsonObject) j).getString("status")));
    JsonObject job = deadJobs.get(0);
    assertThat(job.getString("id")).isEqualTo(dead.toString());
    assertThat(job.getString("last_error")).isEqualTo("broken");
    assertThat(job.getInteger("attempts")).isEqualTo(1);
  }

  @Test
  @DisplayName("answer 400 for a missing or unknown status, and 401 without the admin token")
  void badRequests() {
    assertProblem(get("/api/v1/admin/jobs?status=done"), 400);
    assertProblem(get("/api/v1/admin/jobs"), 400);
    assertProblem(get("/api/v1/admin/jobs?status=dead&cursor=nonsense"), 400);
    assertProblem(server.client.get("/api/v1/admin/jobs?status=dead", null), 401);
    assertProblem(server.client.get("/api/v1/admin/jobs?status=dead", "wrong"), 401);
    assertProblem(server.client.post("/api/v1/admin/jobs/" + UUID.randomUUID() + "/retry", null, null), 401);
  }

  @Test
  @DisplayName("retry only a failed or dead job: 404 for an unknown one, 409 for a queued one")
  void retryErrors() {
    assertProblem(server.client.post("/api/v1/admin/jobs/" + UUID.randomUUID() + "/retry", TOKEN, null), 404);
    assertProblem(server.client.post("/api/v1/admin/jobs/not-a-uuid/retry", TOKEN, null), 404);
    UUID queued = workers.queue.enqueue("waiting", new JsonObject()).await();
    assertProblem(server.client.post("/api/v1/admin/jobs/" + queued + "/retry", TOKEN, null), 409);
  }

  @Test
  @DisplayName("run a dead job again to completion after the admin retries it")
  void retryRuns() {
    AtomicBoolean fixed = new AtomicBoolean();
    String worker = workers.deploy(new JobHandlers(4).register("flaky", job -> fixed.get()
        ? Future.succeededFuture()
        : Future.failedFuture("still broken " + job.attempts())),
        Workers.config(20, 60, 2, 50, 10_000));
    try {
      UUID id = workers.queue.enqueue("flaky", new JsonObject(), null, 0, 2).await();
      Await.until(Duration.ofSeconds(20), () -> Job.DEAD.equals(workers.find(id).status()), "the job to die");
      assertThat(workers.find(id).lastError()).isEqualTo("still broken 2");

      fixed.set(true);
      Response retried = server.client.post("/api/v1/admin/jobs/" + id + "/retry", TOKEN, null);
      assertThat(retried.status()).isEqualTo(200);
      assertThat(retried.json().getString("status")).isEqualTo(Job.QUEUED);
      assertThat(retried.json().getInteger("attempts")).isZero();
      Await.until(Duration.ofSeconds(20), () -> Job.DONE.equals(workers.find(id).status()), "the retried job to be done");
      assertThat(workers.find(id).attempts()).isEqualTo(1);
    } finally {
      workers.undeploy(worker);
    }
  }
}
