package dev.sextant.experiments;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An experiment as stored, with its dataset's item count. {@code revision} counts the writes that
 * changed its summary; {@code modelConfig} ({@code {name, version}}) and {@code metadata} may be
 * null.
 */
record Experiment(UUID id, String name, UUID datasetId, JsonObject modelConfig,
    JsonArray evaluators, JsonObject metadata, String status, long revision, long itemCount,
    OffsetDateTime createdAt, OffsetDateTime completedAt) {

  static final String RUNNING = "running";
  static final String COMPLETED = "completed";

  /** What a client sends to create one; JSON values encoded, the optional ones null when absent. */
  record Draft(String name, UUID datasetId, String modelConfig, String evaluators, String metadata) {}
}
