package dev.sextant.experiments;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonObject;

/** The wire shape of datasets and items, in one place. */
final class DatasetJson {

  private DatasetJson() {}

  static JsonObject dataset(Dataset dataset) {
    return new JsonObject()
        .put("id", dataset.id().toString())
        .put("name", dataset.name())
        .put("description", dataset.description())
        .put("item_count", dataset.itemCount())
        .put("created_at", Times.format(dataset.createdAt()))
        .put("updated_at", Times.format(dataset.updatedAt()));
  }

  static JsonObject item(DatasetItem item) {
    return new JsonObject()
        .put("id", item.id())
        .put("input", item.input())
        .put("expected_output", item.expectedOutput())
        .put("metadata", item.metadata())
        .put("created_at", Times.format(item.createdAt()))
        .put("updated_at", Times.format(item.updatedAt()));
  }
}
