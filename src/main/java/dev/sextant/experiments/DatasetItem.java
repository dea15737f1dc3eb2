package dev.sextant.experiments;

import dev.sextant.common.Cursors;
import java.time.OffsetDateTime;

/**
 * One item of a dataset. {@code input} and {@code expectedOutput} are JSON values as decoded
 * (string, number, boolean, object or array); {@code expectedOutput} and {@code metadata} may be
 * null.
 */
record DatasetItem(String id, Object input, Object expectedOutput, Object metadata,
    OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /** An item as a client sends it: each JSON value encoded, the optional ones null when absent. */
  record Draft(String id, String input, String expectedOutput, String metadata) {}

  Cursors.Position position() {
    return new Cursors.Position(createdAt, id);
  }
}
