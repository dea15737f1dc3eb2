package dev.sextant.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Keyset pagination")
@ExtendWith(ServerExtension.class)
class PaginationTest {

  @Injected private static ApiClient api;

  private static void ingest(String key, String prefix, int from, int count, Instant base) {
    JsonArray items = new JsonArray();
    for (int i = from; i < from + count; i++) {
      // many traces share a start time, so the id must break ties
      items.add(new JsonObject().put("type", "trace").put("body", new JsonObject()
          .put("id", prefix + i).put("name", "n").put("start_time", base.plusSeconds(i / 7).toString())));
    }
    Response r = api.post("/api/v1/ingest", key, new JsonObject().put("batch", items));
    assertThat(r.status()).isEqualTo(207);
  }

  @Test
  @DisplayName("walks 10 000 traces exactly once while new ones keep arriving")
  void walkWhileInserting() throws Exception {
    String key = api.newProjectKey();
    Instant base = Instant.parse("2026-11-01T00:00:00Z");
    for (int from = 0; from < 10_000; from += 1000) {
      ingest(key, "t", from, 1000, base);
    }
    AtomicBoolean walking = new AtomicBoolean(true);
    AtomicInteger inserted = new AtomicInteger();
    Thread writer = new Thread(() -> {
      int n = 0;
      while (walking.get() && n < 20_000) {
        // new traces land both before and inside the range being walked
        ingest(key, "new", n, 100, base.plusSeconds((n % 3) * 400));
        n += 100;
        inserted.set(n);
      }
    });
    writer.start();
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response page = api.get("/api/v1/traces?limit=250" + (cursor == null ? "" : "&cursor=" + cursor), key);
      assertThat(page.status()).isEqualTo(200);
      for (Object o : page.data()) {
        String id = ((JsonObject) o).getString("id");
        if (!seen.add(id)) {
          duplicates.add(id);
        }
      }
      cursor = page.json().getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 1000);
    walking.set(false);
    writer.join();

    assertThat(duplicates).isEmpty();
    assertThat(inserted.get()).isPositive();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen).contains("t" + i);
    }
  }
}
