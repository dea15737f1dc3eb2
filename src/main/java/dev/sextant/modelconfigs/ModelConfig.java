package dev.sextant.modelconfigs;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One immutable version of a named model config, with the labels that name this version now.
 *
 * @param labels the labels that point at this version, sorted; they move, the version does not
 */
record ModelConfig(String name, int version, String provider, String model, JsonObject parameters,
    String promptTemplate, List<String> labels, OffsetDateTime createdAt) {

  /** What a client sends to create the next version of {@code name}. */
  record Draft(String name, String provider, String model, JsonObject parameters,
      String promptTemplate, List<String> labels) {}
}
