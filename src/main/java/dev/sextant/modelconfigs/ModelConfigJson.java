package dev.sextant.modelconfigs;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The wire shape of model configs, in one place. */
final class ModelConfigJson {

  private ModelConfigJson() {}

  static JsonObject config(ModelConfig config) {
    return new JsonObject()
        .put("name", config.name())
        .put("version", config.version())
        .put("provider", config.provider())
        .put("model", config.model())
        .put("parameters", config.parameters())
        .put("prompt_template", config.promptTemplate())
        .put("labels", new JsonArray(config.labels()))
        .put("created_at", Times.format(config.createdAt()));
  }
}
