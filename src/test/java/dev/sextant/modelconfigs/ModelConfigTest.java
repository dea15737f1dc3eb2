package dev.sextant.modelconfigs;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Model configs")
@ExtendWith(ServerExtension.class)
class ModelConfigTest {

  private static final String BASE = "/api/v1/model-configs";

  @Injected private static ApiClient api;
  @ProjectKey private static String key;
  @ProjectKey private static String otherKey;

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  private static JsonObject config(String name, String model, String... labels) {
    JsonObject body = new JsonObject().put("name", name).put("provider", "openai").put("model", model);
    if (labels.length > 0) {
      body.put("labels", new JsonArray(List.of(labels)));
    }
    return body;
  }

  private static JsonObject create(String k, JsonObject body) {
    Response r = api.post(BASE, k, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private static Response get(String name, String query) {
    return api.get(BASE + "/" + name + query, key);
  }

  @Test
  @DisplayName("number the versions of each name 1, 2, 3, independently per name and per project")
  void versionsPerName() {
    String a = unique("a");
    String b = unique("b");
    JsonObject first = create(key, config(a, "m1")
        .put("parameters", new JsonObject().put("temperature", 0.2).put("stop", new JsonArray().add("\n")))
        .put("prompt_template", "Answer {question}"));
    assertThat(first.getInteger("version")).isEqualTo(1);
    assertThat(first.getString("name")).isEqualTo(a);
    assertThat(first.getString("provider")).isEqualTo("openai");
    assertThat(first.getJsonObject("parameters").getDouble("temperature")).isEqualTo(0.2);
    assertThat(first.getString("prompt_template")).isEqualTo("Answer {question}");
    assertThat(first.getJsonArray("labels")).isEmpty();
    assertThat(first.getString("created_at")).endsWith("Z");
    assertThat(create(key, config(a, "m2")).getInteger("version")).isEqualTo(2);
    assertThat(create(key, config(b, "m1")).getInteger("version")).isEqualTo(1);
    JsonObject third = create(key, config(a, "m3"));
    assertThat(third.getInteger("version")).isEqualTo(3);
    assertThat(third.getJsonObject("parameters")).isEqualTo(new JsonObject());
    assertThat(third.getValue("prompt_template")).isNull();
    assertThat(create(otherKey, config(a, "elsewhere")).getInteger("version")).isEqualTo(1);

    assertThat(get(a, "").json().getString("model")).isEqualTo("m3");
    assertThat(get(a, "?version=1").json().getString("model")).isEqualTo("m1");
    assertThat(get(a, "?version=2").json().getString("model")).isEqualTo("m2");
    assertThat(get(a, "?version=1").json().getJsonObject("parameters").getJsonArray("stop"))
        .containsExactly("\n");

    Response versions = get(a, "/versions");
    assertThat(versions.status()).isEqualTo(200);
    assertThat(versions.data().stream().map(o -> ((JsonObject) o).getInteger("version")))
        .containsExactly(3, 2, 1);
    assertThat(versions.json().getValue("next_cursor")).isNull();
  }

  @Test
  @DisplayName("list the newest version of each name, by name, and only the key's project")
  void listNewestOfEach() {
    String k = api.newProjectKey();
    create(k, config("beta", "b1"));
    create(k, config("alpha", "a1", "prod"));
    create(k, config("alpha", "a2"));
    create(k, config("beta", "b2", "staging"));
    create(otherKey, config("gamma", "g1"));
    Response r = api.get(BASE, k);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getValue("next_cursor")).isNull();
    JsonArray data = r.data();
    assertThat(data.stream().map(o -> ((JsonObject) o).getString("name"))).containsExactly("alpha", "beta");
    assertThat(data.getJsonObject(0).getInteger("version")).isEqualTo(2);
    assertThat(data.getJsonObject(0).getJsonArray("labels")).isEmpty();
    assertThat(data.getJsonObject(1).getInteger("version")).isEqualTo(2);
    assertThat(data.getJsonObject(1).getJsonArray("labels")).containsExactly("staging");
    assertThat(api.get(BASE, api.newProjectKey()).data()).isEmpty();
  }

  @Test
  @DisplayName("read by label: labels given at creation move to the new version, and PUT moves one at once")
  void labels() {
    String n = unique("labelled");
    JsonObject v1 = create(key, config(n, "m1", "prod", "stable", "prod"));
    assertThat(v1.getJsonArray("labels")).containsExactly("prod", "stable");
    create(key, config(n, "m2", "prod", "canary"));
    create(key, config(n, "m3"));

    assertThat(get(n, "?label=prod").json().getInteger("version")).isEqualTo(2);
    assertThat(get(n, "?label=stable").json().getInteger("version")).isEqualTo(1);
    assertThat(get(n, "?version=1").json().getJsonArray("labels")).containsExactly("stable");
    assertThat(get(n, "?version=2").json().getJsonArray("labels")).containsExactly("canary", "prod");
    assertThat(get(n, "").json().getJsonArray("labels")).isEmpty();

    Response moved = api.put(BASE + "/" + n + "/labels/prod", key, new JsonObject().put("version", 3));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().getInteger("version")).isEqualTo(3);
    assertThat(moved.json().getString("model")).isEqualTo("m3");
    assertThat(moved.json().getJsonArray("labels")).containsExactly("prod");
    assertThat(get(n, "?label=prod").json().getInteger("version")).isEqualTo(3);
    assertThat(get(n, "?version=2").json().getJsonArray("labels")).containsExactly("canary");

    Response created = api.put(BASE + "/" + n + "/labels/rollback", key, new JsonObject().put("version", 1));
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().getJsonArray("labels")).containsExactly("rollback", "stable");
    assertThat(get(n, "/versions").data().getJsonObject(0).getJsonArray("labels")).containsExactly("prod");
  }

  @Test
  @DisplayName("tag each answer with a strong ETag: stable for a version, new for another, 304 when it matches")
  void etags() {
    String n = unique("etag");
    create(key, config(n, "m1", "prod"));
    Response first = get(n, "");
    String etag = first.header("ETag");
    assertThat(etag).matches("\"[0-9a-f]{32}\"");
    assertThat(get(n, "").header("ETag")).isEqualTo(etag);
    assertThat(get(n, "?version=1").header("ETag")).isEqualTo(etag);
    assertThat(get(n, "?label=prod").header("ETag")).isEqualTo(etag);

    Response notModified = api.get(BASE + "/" + n, key, "If-None-Match", etag);
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.bytes()).isEmpty();
    assertThat(notModified.header("ETag")).isEqualTo(etag);
    assertThat(api.get(BASE + "/" + n + "?label=prod", key, "If-None-Match", "\"other\", " + etag).status())
        .isEqualTo(304);
    assertThat(api.get(BASE + "/" + n, key, "If-None-Match", "W/" + etag).status()).isEqualTo(304);
    assertThat(api.get(BASE + "/" + n, key, "If-None-Match", "*").status()).isEqualTo(304);
    assertThat(api.get(BASE + "/" + n, key, "If-None-Match", "\"other\"").status()).isEqualTo(200);
    assertProblem(api.get(BASE + "/" + unique("absent"), key, "If-None-Match", "*"), 404);

    create(key, config(n, "m2"));
    Response newer = api.get(BASE + "/" + n, key, "If-None-Match", etag);
    assertThat(newer.status()).isEqualTo(200);
    assertThat(newer.json().getInteger("version")).isEqualTo(2);
    assertThat(newer.header("ETag")).isNotEqualTo(etag);
    assertThat(api.get(BASE + "/" + n + "?version=1", key, "If-None-Match", etag).status()).isEqualTo(304);

    // a label moving away from version 1 changes what its answer says, and so its tag
    assertThat(api.put(BASE + "/" + n + "/labels/prod", key, new JsonObject().put("version", 2)).status())
        .isEqualTo(200);
    Response stale = api.get(BASE + "/" + n + "?version=1", key, "If-None-Match", etag);
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.json().getJsonArray("labels")).isEmpty();
    assertThat(stale.header("ETag")).isNotEqualTo(etag);
    // the same name and version in another project has its own data
    create(otherKey, config(n, "m1"));
    assertThat(api.get(BASE + "/" + n + "?version=1", otherKey).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("keep another project's configs invisible: 404 on every route")
  void projectIsolation() {
    String n = unique("private");
    create(key, config(n, "m1", "prod"));
    assertProblem(api.get(BASE + "/" + n, otherKey), 404);
    assertProblem(api.get(BASE + "/" + n + "?version=1", otherKey), 404);
    assertProblem(api.get(BASE + "/" + n + "?label=prod", otherKey), 404);
    assertProblem(api.get(BASE + "/" + n + "/versions", otherKey), 404);
    assertProblem(api.put(BASE + "/" + n + "/labels/prod", otherKey, new JsonObject().put("version", 1)), 404);
    assertThat(api.get(BASE, otherKey).data().stream()
        .map(o -> ((JsonObject) o).getString("name"))).doesNotContain(n);
    // and the label is still where it was
    assertThat(get(n, "?label=prod").json().getInteger("version")).isEqualTo(1);
  }

  @Test
  @DisplayName("answer 404 for an unknown name, version or label")
  void notFound() {
    String n = unique("known");
    create(key, config(n, "m1", "prod"));
    assertProblem(get(unique("unknown"), ""), 404);
    assertProblem(get(n, "?version=2"), 404);
    assertProblem(get(n, "?label=staging"), 404);
    assertProblem(get(n, "?label=" + "x".repeat(201)), 404);
    assertProblem(get("n".repeat(513), ""), 404);
    assertProblem(get(unique("unknown"), "/versions"), 404);
    assertProblem(api.put(BASE + "/" + unique("unknown") + "/labels/prod", key,
        new JsonObject().put("version", 1)), 404);
    assertProblem(api.put(BASE + "/" + n + "/labels/prod", key, new JsonObject().put("version", 7)), 404);
    assertThat(get(n, "?label=prod").json().getInteger("version")).isEqualTo(1);
  }

  @Test
  @DisplayName("address names with any characters, percent-encoded in the path")
  void encodedNames() {
    String n = "team/bot v2 ✓";
    String k = api.newProjectKey();
    create(k, config(n, "m1"));
    String path = BASE + "/" + URLEncoder.encode(n, StandardCharsets.UTF_8).replace("+", "%20");
    Response r = api.get(path, k);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("name")).isEqualTo(n);
    assertThat(api.get(path + "/versions", k).data()).hasSize(1);
  }

  @Test
  @DisplayName("refuse bad input with 400 naming each field")
  void badInput() {
    assertFields(api.post(BASE, key, new JsonObject()), "name", "provider", "model");
    assertFields(api.post(BASE, key, config("n".repeat(513), "m").put("provider", " ")), "name", "provider");
    assertFields(api.post(BASE, key, config("n", "m").put("parameters", new JsonArray())), "parameters");
    assertFields(api.post(BASE, key, config("n", "m").put("parameters", "{}")), "parameters");
    JsonObject deep = new JsonObject();
    JsonObject at = deep;
    for (int i = 1; i < 64; i++) {
      JsonObject next = new JsonObject();
      at.put("k", next);
      at = next;
    }
    assertThat(api.post(BASE, key, config(unique("deep"), "m").put("parameters", deep)).status()).isEqualTo(201);
    at.put("k", new JsonObject());
    assertFields(api.post(BASE, key, config("n", "m").put("parameters", deep)), "parameters");
    assertFields(api.post(BASE, key, config("n", "m").put("prompt_template", 5)), "prompt_template");
    assertFields(api.post(BASE, key, config("n", "m", "has space")), "labels");
    assertFields(api.post(BASE, key, config("n", "m", "x".repeat(201))), "labels");
    assertFields(api.post(BASE, key, config("n", "m").put("labels", "prod")), "labels");
    JsonArray many = new JsonArray();
    for (int i = 0; i < 51; i++) {
      many.add("l" + i);
    }
    assertFields(api.post(BASE, key, config("n", "m").put("labels", many)), "labels");
    assertProblem(api.post(BASE, key, null), 400);
    assertThat(api.get(BASE + "/n", key).status()).isEqualTo(404); // nothing was stored

    String n = unique("input");
    create(key, config(n, "m1", "prod"));
    assertFields(get(n, "?version=abc"), "version");
    assertFields(get(n, "?version=0"), "version");
    assertFields(get(n, "?version=1&label=prod"), "label");
    String label = BASE + "/" + n + "/labels/";
    assertFields(api.put(label + "prod", key, new JsonObject()), "version");
    assertFields(api.put(label + "prod", key, new JsonObject().put("version", "1")), "version");
    assertFields(api.put(label + "prod", key, new JsonObject().put("version", 0)), "version");
    assertFields(api.put(label + "bad%20label", key, new JsonObject().put("version", 1)), "label");
    assertProblem(api.put(label + "prod", key, null), 400);
  }

  @Test
  @DisplayName("ask for an API key on every route: 401 without one")
  void unauthorized() {
    assertProblem(api.post(BASE, null, config("n", "m")), 401);
    assertProblem(api.get(BASE, null), 401);
    assertProblem(api.get(BASE + "/n", null), 401);
    assertProblem(api.get(BASE + "/n/versions", null), 401);
    assertProblem(api.put(BASE + "/n/labels/prod", null, new JsonObject().put("version", 1)), 401);
  }

  private static void assertFields(Response r, String... fields) {
    assertProblem(r, 400);
    assertThat(r.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")))
        .as(r.body()).containsExactlyInAnyOrder(fields);
  }
}
