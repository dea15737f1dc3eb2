package dev.sextant.experiments;

import static dev.sextant.experiments.DatasetTest.assertFields;
import static dev.sextant.experiments.DatasetTest.createDataset;
import static dev.sextant.experiments.DatasetTest.upsert;
import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Experiments")
@ExtendWith(ServerExtension.class)
class ExperimentTest {

  static final String BASE = "/api/v1/experiments";
  static final Duration SCORES_WAIT = Duration.ofSeconds(30);

  @Injected private static ApiClient api;
  @ProjectKey private static String key;
  @ProjectKey private static String otherKey;

  /** A dataset of items q1…qn whose expected output is "answer i". */
  static String dataset(ApiClient api, String key, int n) {
    String dataset = createDataset(api, key);
    JsonArray items = new JsonArray();
    for (int i = 1; i <= n; i++) {
      items.add(new JsonObject().put("id", "q" + i).put("input", "question " + i)
          .put("expected_output", "answer " + i));
    }
    assertThat(upsert(api, key, dataset, items).status()).isEqualTo(201);
    return dataset;
  }

  static String experiment(ApiClient api, String key, String dataset, JsonArray evaluators) {
    Response r = api.post(BASE, key, new JsonObject().put("name", "run-" + UUID.randomUUID())
        .put("dataset_id", dataset).put("evaluators", evaluators));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  static Response results(ApiClient api, String key, String experiment, JsonObject... results) {
    return api.post(BASE + "/" + experiment + "/results", key,
        new JsonObject().put("results", new JsonArray(Arrays.asList((Object[]) results))));
  }

  static JsonObject result(String item, Object output) {
    return new JsonObject().put("item_id", item).put("output", output);
  }

  static JsonObject evaluator(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  static JsonObject summary(ApiClient api, String key, String experiment) {
    Response r = api.get(BASE + "/" + experiment, key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static JsonObject awaitEvaluated(ApiClient api, String key, String experiment) {
    Await.until(SCORES_WAIT, () -> summary(api, key, experiment).getLong("pending_evaluations") == 0,
        "the evaluators to score every result");
    return summary(api, key, experiment);
  }

  @Test
  @DisplayName("run the life cycle: create, results (207 per item), evaluator scores, a current summary, complete, then 409")
  void lifeCycle() {
    String dataset = dataset(api, key, 5);
    String experiment = experiment(api, key, dataset, new JsonArray()
        .add(evaluator("exact", "exact_match"))
        .add(evaluator("has_digit", "regex").put("params", new JsonObject().put("pattern", "\\d")))
        .add(evaluator("similar", "levenshtein_similarity")));
    JsonObject created = summary(api, key, experiment);
    assertThat(created.getString("status")).isEqualTo("running");
    assertThat(created.getLong("item_count")).isEqualTo(5);
    assertThat(created.getLong("result_count")).isZero();
    assertThat(created.getJsonObject("latency_ms").getValue("p50")).isNull();
    assertThat(created.getJsonArray("evaluators")).hasSize(3);

    Response written = results(api, key, experiment,
        result("q1", "answer 1").put("latency_ms", 100).put("cost_usd", 0.01).put("input_tokens", 10)
            .put("scores", new JsonObject().put("helpfulness", 0.5)),
        result("q2", "answer two").put("latency_ms", 200).put("cost_usd", 0.02)
            .put("scores", new JsonObject().put("helpfulness", 1)),
        result("nope", "x"),
        result("q3", "ANSWER 3").put("latency_ms", 400).put("cost_usd", 0.03),
        result("q4", "answer 4").put("latency_ms", 800).put("scores", new JsonObject().put("exact", 1)),
        new JsonObject().put("item_id", "q5"));
    assertThat(written.status()).as(written.body()).isEqualTo(207);
    JsonArray answers = written.json().getJsonArray("results");
    assertThat(answers.stream().map(o -> ((JsonObject) o).getInteger("status")).toList())
        .containsExactly(201, 201, 400, 201, 400, 400);
    assertThat(answers.getJsonObject(2).getString("error")).contains("item_id");
    assertThat(answers.getJsonObject(4).getString("error")).contains("scores.exact");
    assertThat(answers.getJsonObject(5).getString("error")).contains("output: required");

    JsonObject now = summary(api, key, experiment);
    assertThat(now.getLong("result_count")).as("current right after the write").isEqualTo(3);
    assertThat(now.getDouble("total_cost")).isCloseTo(0.06, within(1e-9));
    assertThat(now.getJsonObject("latency_ms").getDouble("p50")).isEqualTo(200.0);
    assertThat(now.getJsonObject("latency_ms").getDouble("p95")).isCloseTo(380.0, within(1e-9));
    JsonObject helpfulness = now.getJsonObject("scores").getJsonObject("helpfulness");
    assertThat(helpfulness.getDouble("mean")).isEqualTo(0.75);
    assertThat(helpfulness.getDouble("min")).isEqualTo(0.5);
    assertThat(helpfulness.getDouble("max")).isEqualTo(1.0);
    assertThat(helpfulness.getLong("count")).isEqualTo(2);

    JsonObject evaluated = awaitEvaluated(api, key, experiment);
    JsonObject scores = evaluated.getJsonObject("scores");
    assertThat(scores.getJsonObject("exact").getDouble("mean")).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(scores.getJsonObject("exact").getLong("count")).isEqualTo(3);
    assertThat(scores.getJsonObject("has_digit").getDouble("mean")).isCloseTo(2.0 / 3, within(1e-9));
    // "answer two" against "answer 2": 3 edits over 10 characters; "ANSWER 3": 6 over 8
    double similar = (1 + (1 - 3.0 / 10) + (1 - 6.0 / 8)) / 3;
    assertThat(scores.getJsonObject("similar").getDouble("mean")).isCloseTo(similar, within(1e-9));
    assertThat(scores.getJsonObject("similar").getDouble("min")).isCloseTo(0.25, within(1e-9));

    Response completed = api.post(BASE + "/" + experiment + "/complete", key, null);
    assertThat(completed.status()).as(completed.body()).isEqualTo(200);
    assertThat(completed.json().getString("status")).isEqualTo("completed");
    String completedAt = completed.json().getString("completed_at");
    assertThat(completedAt).endsWith("Z");
    assertProblem(results(api, key, experiment, result("q5", "answer 5")), 409);
    Response again = api.post(BASE + "/" + experiment + "/complete", key, null);
    assertThat(again.json().getString("completed_at")).as("completing twice changes nothing").isEqualTo(completedAt);
    assertThat(summary(api, key, experiment).getLong("result_count")).isEqualTo(3);
  }

  @Test
  @DisplayName("list results with their scores, oldest first; a result sent again is replaced and evaluated again")
  void resultsListAndReplace() {
    String dataset = dataset(api, key, 3);
    String experiment = experiment(api, key, dataset, new JsonArray().add(evaluator("exact", "exact_match")));
    results(api, key, experiment, result("q1", "wrong").put("trace_id", "t-1").put("latency_ms", 5),
        result("q2", "answer 2"), result("q3", "answer 3"));
    awaitEvaluated(api, key, experiment);
    assertThat(results(api, key, experiment, result("q1", "answer 1")).status()).isEqualTo(207);
    JsonObject evaluated = awaitEvaluated(api, key, experiment);
    assertThat(evaluated.getLong("result_count")).isEqualTo(3);
    assertThat(evaluated.getJsonObject("scores").getJsonObject("exact").getDouble("mean")).isEqualTo(1.0);

    Response page = api.get(BASE + "/" + experiment + "/results?limit=2", key);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    JsonObject q1 = page.data().getJsonObject(0);
    assertThat(q1.getString("item_id")).isEqualTo("q1");
    assertThat(q1.getString("output")).isEqualTo("answer 1");
    assertThat(q1.getString("trace_id")).as("kept when not sent again").isEqualTo("t-1");
    assertThat(q1.getDouble("latency_ms")).isEqualTo(5.0);
    assertThat(q1.getJsonObject("scores").getDouble("exact")).isEqualTo(1.0);
    assertThat(q1.getString("evaluated_at")).endsWith("Z");
    String cursor = page.json().getString("next_cursor");
    assertThat(cursor).isNotNull();
    JsonArray rest = api.get(BASE + "/" + experiment + "/results?limit=2&cursor=" + cursor, key).data();
    assertThat(rest).hasSize(1);
    assertThat(rest.getJsonObject(0).getString("item_id")).isEqualTo("q3");
  }

  @Test
  @DisplayName("compare two experiments over the items both ran: improved, regressed, unchanged")
  void compare() {
    String dataset = dataset(api, key, 5);
    String a = experiment(api, key, dataset, new JsonArray());
    String b = experiment(api, key, dataset, new JsonArray());
    results(api, key, a, scored("q1", 0.9), scored("q2", 0.5), scored("q3", 0.8), scored("q4", 0.3),
        result("q5", "x").put("scores", new JsonObject().put("only_a", 1)));
    results(api, key, b, scored("q2", 0.7), scored("q3", 0.8), scored("q4", 0.1), scored("q5", 1.0));

    Response r = api.get(BASE + "/compare?ids=" + a + "," + b, key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject comparison = r.json();
    assertThat(comparison.getJsonObject("a").getString("id")).isEqualTo(a);
    assertThat(comparison.getJsonObject("b").getString("id")).isEqualTo(b);
    assertThat(comparison.getLong("common_items")).isEqualTo(4);
    JsonObject quality = comparison.getJsonObject("scores").getJsonObject("quality");
    assertThat(quality.getLong("items")).isEqualTo(3);
    assertThat(quality.getDouble("mean_a")).isCloseTo((0.5 + 0.8 + 0.3) / 3, within(1e-9));
    assertThat(quality.getDouble("mean_b")).isCloseTo((0.7 + 0.8 + 0.1) / 3, within(1e-9));
    assertThat(quality.getDouble("delta")).isCloseTo(0.0, within(1e-9));
    assertThat(quality.getLong("improved")).isEqualTo(1);
    assertThat(quality.getLong("regressed")).isEqualTo(1);
    assertThat(quality.getLong("unchanged")).isEqualTo(1);
    JsonObject onlyA = comparison.getJsonObject("scores").getJsonObject("only_a");
    assertThat(onlyA.getLong("items")).isZero();
    assertThat(onlyA.getValue("mean_a")).isNull();
    assertThat(onlyA.getValue("delta")).isNull();

    String elsewhere = experiment(api, key, dataset(api, key, 5), new JsonArray());
    results(api, key, elsewhere, scored("q2", 0.1));
    JsonObject apart = api.get(BASE + "/compare?ids=" + a + "," + elsewhere, key).json();
    assertThat(apart.getLong("common_items")).as("another dataset's q2 is another item").isZero();
    assertThat(apart.getJsonObject("scores").getJsonObject("quality").getLong("items")).isZero();
  }

  private static JsonObject scored(String item, double quality) {
    return result(item, "out").put("scores", new JsonObject().put("quality", quality));
  }

  @Test
  @DisplayName("keep a pathological regex from holding the evaluators: it times out, the others still score")
  void pathologicalRegex() {
    String dataset = createDataset(api, key);
    upsert(api, key, dataset, new JsonArray().add(new JsonObject().put("id", "a").put("input", "x")
        .put("expected_output", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")));
    String experiment = experiment(api, key, dataset, new JsonArray()
        .add(evaluator("backtracks", "regex").put("params", new JsonObject().put("pattern", "(.*a){12}$")))
        .add(evaluator("exact", "exact_match")));
    results(api, key, experiment, result("a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
    JsonObject evaluated = awaitEvaluated(api, key, experiment);
    assertThat(evaluated.getJsonObject("scores").getJsonObject("exact").getDouble("mean")).isEqualTo(1.0);
    assertThat(evaluated.getJsonObject("scores").containsKey("backtracks")).isFalse();
  }

  @Test
  @DisplayName("keep experiments of one project invisible to another: 404 on every route")
  void isolation() {
    String dataset = dataset(api, key, 2);
    String experiment = experiment(api, key, dataset, new JsonArray());
    String theirs = experiment(api, otherKey, dataset(api, otherKey, 1), new JsonArray());
    assertProblem(api.get(BASE + "/" + experiment, otherKey), 404);
    assertProblem(api.get(BASE + "/" + experiment + "/results", otherKey), 404);
    assertProblem(results(api, otherKey, experiment, result("q1", "x")), 404);
    assertProblem(api.post(BASE + "/" + experiment + "/complete", otherKey, null), 404);
    assertProblem(api.get(BASE + "/compare?ids=" + experiment + "," + theirs, key), 404);
    assertProblem(api.get(BASE + "/" + UUID.randomUUID(), key), 404);
    assertProblem(api.get(BASE + "/not-a-uuid/results", key), 404);
    assertFields(api.post(BASE, otherKey, new JsonObject().put("name", "n").put("dataset_id", dataset)),
        "dataset_id");
    assertThat(summary(api, key, experiment).getString("status")).isEqualTo("running");
    assertThat(summary(api, key, experiment).getLong("result_count")).isZero();
  }

  @Test
  @DisplayName("refuse a bad experiment with a 400 naming each field, evaluators included")
  void badExperiments() {
    String dataset = dataset(api, key, 1);
    assertFields(api.post(BASE, key, new JsonObject()), "name", "dataset_id");
    assertFields(api.post(BASE, key, new JsonObject().put("name", "n").put("dataset_id", "nope")
        .put("metadata", 3)), "dataset_id", "metadata");
    assertFields(api.post(BASE, key, new JsonObject().put("name", "n").put("dataset_id", UUID.randomUUID().toString())),
        "dataset_id");
    assertFields(api.post(BASE, key, new JsonObject().put("name", "n").put("dataset_id", dataset)
        .put("evaluators", new JsonArray()
            .add(evaluator("a", "telepathy"))
            .add(evaluator("b", "regex").put("params", new JsonObject().put("pattern", "(unclosed")))
            .add(evaluator("c", "numeric_tolerance")))),
        "evaluators[0].type", "evaluators[1].params.pattern", "evaluators[2].params.tolerance");
    assertFields(api.post(BASE, key, new JsonObject().put("name", "n").put("dataset_id", dataset)
        .put("model_config", new JsonObject().put("name", "m"))), "model_config.version");
    assertFields(api.post(BASE, key, new JsonObject().put("name", "n").put("dataset_id", dataset)
        .put("model_config", "gpt")), "model_config");
    assertFields(api.post(BASE, key, new JsonObject().put("name", "n").put("dataset_id", dataset)
        .put("model_config", new JsonObject().put("name", "no-such-config").put("version", 1))), "model_config");
  }

  @Test
  @DisplayName("name the model config version an experiment ran when the project has it")
  void modelConfig() {
    String name = "cfg-" + UUID.randomUUID();
    assertThat(api.post("/api/v1/model-configs", key, new JsonObject().put("name", name)
        .put("provider", "openai").put("model", "gpt-4o")).status()).isEqualTo(201);
    Response r = api.post(BASE, key, new JsonObject().put("name", "n").put("dataset_id", dataset(api, key, 1))
        .put("model_config", new JsonObject().put("name", name).put("version", 1))
        .put("metadata", new JsonObject().put("branch", "main")));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getJsonObject("model_config")).isEqualTo(new JsonObject().put("name", name).put("version", 1));
    assertThat(r.json().getJsonObject("metadata").getString("branch")).isEqualTo("main");
    assertFields(api.post(BASE, otherKey, new JsonObject().put("name", "n").put("dataset_id", dataset(api, otherKey, 1))
        .put("model_config", new JsonObject().put("name", name).put("version", 1))), "model_config");
  }

  @Test
  @DisplayName("refuse bad results: the envelope as a whole, each bad result on its own; bad paging and ids")
  void badResults() {
    String experiment = experiment(api, key, dataset(api, key, 2), new JsonArray());
    assertFields(api.post(BASE + "/" + experiment + "/results", key, new JsonObject()), "results");
    assertFields(api.post(BASE + "/" + experiment + "/results", key, new JsonObject().put("results", "x")), "results");
    assertFields(results(api, key, experiment), "results");
    Response r = results(api, key, experiment,
        result("q1", "ok"),
        result("q2", "x").put("latency_ms", -1).put("cost_usd", "free").put("input_tokens", 1.5),
        result("bad id!", "x"),
        result("q2", "y").put("scores", new JsonObject().put("s", "high")),
        result("q2", "z").put("scores", new JsonObject().put("", 1)));
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    JsonArray answers = r.json().getJsonArray("results");
    assertThat(answers.stream().map(o -> ((JsonObject) o).getInteger("status")).toList())
        .containsExactly(201, 400, 400, 400, 400);
    assertThat(answers.getJsonObject(1).getString("error"))
        .contains("latency_ms").contains("cost_usd").contains("input_tokens");
    assertThat(answers.getJsonObject(3).getString("error")).contains("scores.s");
    assertThat(summary(api, key, experiment).getLong("result_count")).isEqualTo(1);
    JsonObject tooMany = new JsonObject().put("results", new JsonArray(java.util.Collections.nCopies(1001, result("q1", "x"))));
    assertFields(api.post(BASE + "/" + experiment + "/results", key, tooMany), "results");
    assertFields(api.get(BASE + "/" + experiment + "/results?cursor=garbage", key), "cursor");
    assertFields(api.get(BASE + "/compare?ids=" + experiment, key), "ids");
    assertFields(api.get(BASE + "/compare", key), "ids");
    assertFields(api.get(BASE + "/compare?ids=a,b", key), "ids");
  }

  @Test
  @DisplayName("ask for an API key on every route: 401 without one")
  void unauthorized() {
    String id = UUID.randomUUID().toString();
    assertProblem(api.post(BASE, null, new JsonObject()), 401);
    assertProblem(api.get(BASE + "/" + id, null), 401);
    assertProblem(api.post(BASE + "/" + id + "/results", null, new JsonObject()), 401);
    assertProblem(api.get(BASE + "/" + id + "/results", null), 401);
    assertProblem(api.post(BASE + "/" + id + "/complete", null, null), 401);
    assertProblem(api.get(BASE + "/compare?ids=" + id + "," + id, null), 401);
  }

  static Set<String> ids(JsonArray data, String field) {
    Set<String> ids = new HashSet<>();
    data.forEach(o -> ids.add(((JsonObject) o).getString(field)));
    return ids;
  }

  static List<Integer> statuses(Response r) {
    return r.json().getJsonArray("results").stream().map(o -> ((JsonObject) o).getInteger("status")).toList();
  }
}
