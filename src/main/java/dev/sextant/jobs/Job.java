package dev.sextant.jobs;

import dev.sextant.common.Cursors;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One job as stored. {@code attempts} counts claims: a handler sees 1 on its first run. A job is
 * delivered at least once, so a handler must be idempotent.
 */
public record Job(
    UUID id,
    String kind,
    JsonObject payload,
    String status,
    int attempts,
    int maxAttempts,
    OffsetDateTime runAt,
    OffsetDateTime leaseUntil,
    String lastError,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime finishedAt,
    String dedupKey) {

  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String FAILED = "failed";
  public static final String DEAD = "dead";
  public static final String DONE = "done";

  /** Where this job sits in the admin list, for its cursor. */
  Cursors.Position position() {
    return new Cursors.Position(createdAt, id.toString());
  }
}
