package dev.sextant.experiments;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ProjectKey;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Datasets and items")
@ExtendWith(ServerExtension.class)
class DatasetTest {

  private static final String BASE = "/api/v1/datasets";

  @Injected private static ApiClient api;
  @ProjectKey private static String key;
  @ProjectKey private static String otherKey;

  static String createDataset(ApiClient api, String key) {
    Response r = api.post(BASE, key, new JsonObject().put("name", "ds-" + UUID.randomUUID()));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  static Response upsert(ApiClient api, String key, String dataset, JsonArray items) {
    return api.post(BASE + "/" + dataset + "/items", key, new JsonObject().put("items", items));
  }

  private static JsonObject item(String id, Object input, Object expected) {
    JsonObject item = new JsonObject().put("input", input);
    if (id != null) {
      item.put("id", id);
    }
    if (expected != null) {
      item.put("expected_output", expected);
    }
    return item;
  }

  @Test
  @DisplayName("create a dataset, read it back and list it newest first; a name is unique per project")
  void createAndList() {
    String name = "questions-" + UUID.randomUUID();
    Response created = api.post(BASE, key, new JsonObject().put("name", name).put("description", "from support"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject dataset = created.json();
    assertThat(dataset.getString("name")).isEqualTo(name);
    assertThat(dataset.getString("description")).isEqualTo("from support");
    assertThat(dataset.getLong("item_count")).isZero();
    assertThat(dataset.getString("created_at")).endsWith("Z");
    String id = dataset.getString("id");

    assertThat(api.get(BASE + "/" + id, key).json()).isEqualTo(dataset);
    assertProblem(api.post(BASE, key, new JsonObject().put("name", name)), 409);
    assertThat(api.post(BASE, otherKey, new JsonObject().put("name", name)).status()).isEqualTo(201);

    String newer = createDataset(api, key);
    JsonArray firstPage = api.get(BASE + "?limit=2", key).data();
    assertThat(firstPage.getJsonObject(0).getString("id")).isEqualTo(newer);
    assertThat(firstPage.getJsonObject(1).getString("id")).isEqualTo(id);
  }

  @Test
  @DisplayName("upsert items by id: sent again updates, never duplicates; the count follows; ids come back in order")
  void upsertItems() {
    String dataset = createDataset(api, key);
    Response first = upsert(api, key, dataset, new JsonArray()
        .add(item("q1", "What is 2+2?", "4"))
        .add(item(null, new JsonObject().put("question", "Capital of France?"), "Paris"))
        .add(item("q3", "Say hi", null).put("metadata", new JsonObject().put("tier", "easy"))));
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    JsonArray ids = first.json().getJsonArray("ids");
    assertThat(ids).hasSize(3);
    assertThat(ids.getString(0)).isEqualTo("q1");
    assertThat(ids.getString(2)).isEqualTo("q3");
    String generated = ids.getString(1);
    assertThat(UUID.fromString(generated).version()).isEqualTo(7);

    Response again = upsert(api, key, dataset, new JsonArray()
        .add(item("q1", "What is 2 + 2?", null))
        .add(item("q4", 4, 16))
        .add(item("q4", 5, 25)));
    assertThat(again.json().getJsonArray("ids")).containsExactly("q1", "q4", "q4");
    assertThat(api.get(BASE + "/" + dataset, key).json().getLong("item_count")).isEqualTo(4);

    JsonArray items = api.get(BASE + "/" + dataset + "/items", key).data();
    assertThat(items).hasSize(4);
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("id")).toList())
        .as("oldest first; items written together by id").containsExactly(generated, "q1", "q3", "q4");
    JsonObject q1 = items.getJsonObject(1);
    assertThat(q1.getString("input")).isEqualTo("What is 2 + 2?");
    assertThat(q1.getString("expected_output")).as("kept when not sent again").isEqualTo("4");
    assertThat(items.getJsonObject(0).getJsonObject("input").getString("question")).isEqualTo("Capital of France?");
    assertThat(items.getJsonObject(2).getJsonObject("metadata").getString("tier")).isEqualTo("easy");
    JsonObject q4 = items.getJsonObject(3);
    assertThat(q4.getInteger("input")).as("the last of one id in a request wins").isEqualTo(5);
    assertThat(q4.getInteger("expected_output")).isEqualTo(25);
  }

  @Test
  @DisplayName("walk every page of a dataset's items exactly once, while items are added")
  void pagesOfItems() {
    String dataset = createDataset(api, key);
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 25; i++) {
      batch.add(item(String.format("item-%03d", i), "input " + i, null));
    }
    assertThat(upsert(api, key, dataset, batch).status()).isEqualTo(201);
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response page = api.get(BASE + "/" + dataset + "/items?limit=10" + (cursor == null ? "" : "&cursor=" + cursor), key);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.data().forEach(o -> {
        String id = ((JsonObject) o).getString("id");
        assertThat(seen.add(id)).as("seen once: " + id).isTrue();
        order.add(id);
      });
      if (pages++ == 0) {
        upsert(api, key, dataset, new JsonArray().add(item("item-000", "updated", null)).add(item("late", "x", null)));
      }
      cursor = page.json().getString("next_cursor");
    } while (cursor != null);
    assertThat(seen).hasSize(26).contains("late");
    assertThat(order.subList(0, 25)).isSorted();
  }

  @Test
  @DisplayName("keep datasets and items of one project invisible to another: 404")
  void isolation() {
    String dataset = createDataset(api, key);
    assertThat(upsert(api, key, dataset, new JsonArray().add(item("a", "x", null))).status()).isEqualTo(201);
    assertProblem(api.get(BASE + "/" + dataset, otherKey), 404);
    assertProblem(api.get(BASE + "/" + dataset + "/items", otherKey), 404);
    assertProblem(upsert(api, otherKey, dataset, new JsonArray().add(item("b", "y", null))), 404);
    assertThat(api.get(BASE + "/" + dataset, key).json().getLong("item_count")).isEqualTo(1);
    assertThat(api.get(BASE, otherKey).data().stream().map(o -> ((JsonObject) o).getString("id")))
        .doesNotContain(dataset);
    assertProblem(api.get(BASE + "/not-a-uuid", key), 404);
    assertProblem(api.get(BASE + "/" + UUID.randomUUID() + "/items", key), 404);
  }

  @Test
  @DisplayName("refuse bad input with a 400 naming each field, and write nothing")
  void badInput() {
    assertFields(api.post(BASE, key, new JsonObject()), "name");
    assertFields(api.post(BASE, key, new JsonObject().put("name", 5).put("description", List.of())), "name", "description");
    String dataset = createDataset(api, key);
    assertFields(api.post(BASE + "/" + dataset + "/items", key, new JsonObject()), "items");
    assertFields(upsert(api, key, dataset, new JsonArray()), "items");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(item(null, i, null));
    }
    assertFields(upsert(api, key, dataset, tooMany), "items");
    assertFields(upsert(api, key, dataset, new JsonArray()
            .add(item("ok", "fine", null))
            .add(new JsonObject().put("id", "bad id!").put("input", "x"))
            .add(new JsonObject().put("expected_output", "y"))
            .add(item("m", "x", null).put("metadata", "not an object"))
            .add(item("nul", "a\u0000b", null))
            .add("not an object")),
        "items[1].id", "items[2].input", "items[3].metadata", "items[4].input", "items[5]");
    assertThat(api.get(BASE + "/" + dataset, key).json().getLong("item_count")).isZero();
    assertFields(api.get(BASE + "/" + dataset + "/items?cursor=garbage", key), "cursor");
    assertFields(api.get(BASE + "/" + dataset + "/items?limit=0", key), "limit");
    assertFields(api.get(BASE + "?cursor=garbage", key), "cursor");
  }

  @Test
  @DisplayName("ask for an API key on every route: 401 without one")
  void unauthorized() {
    String id = UUID.randomUUID().toString();
    assertProblem(api.post(BASE, null, new JsonObject().put("name", "n")), 401);
    assertProblem(api.get(BASE, null), 401);
    assertProblem(api.get(BASE + "/" + id, null), 401);
    assertProblem(api.post(BASE + "/" + id + "/items", null, new JsonObject().put("items", new JsonArray())), 401);
    assertProblem(api.get(BASE + "/" + id + "/items", null), 401);
  }

  static void assertFields(Response r, String... fields) {
    assertProblem(r, 400);
    assertThat(r.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")))
        .as(r.body()).containsExactlyInAnyOrder(fields);
  }
}
