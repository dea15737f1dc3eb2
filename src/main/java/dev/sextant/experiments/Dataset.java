package dev.sextant.experiments;

import dev.sextant.common.Cursors;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A named set of items that experiments run over; {@code itemCount} counts its items. */
record Dataset(UUID id, String name, String description, long itemCount, OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** Where this dataset sits in the project's list, for its cursor. */
  Cursors.Position position() {
    return new Cursors.Position(createdAt, id.toString());
  }
}
