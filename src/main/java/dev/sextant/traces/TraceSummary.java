package dev.sextant.traces;

import dev.sextant.common.Cursors;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A trace as the list shows it. Start and end are the trace's own, else its spans' bounds;
 * {@code latencyMs} is null when there is no duration or a negative one (an end before the start,
 * which each write refuses but two writes can still combine into).
 */
record TraceSummary(String id, String name, String userId, String sessionId, String release,
    List<String> tags, OffsetDateTime startTime, OffsetDateTime endTime, boolean isError,
    int spanCount, long inputTokens, long outputTokens, double totalCost, Double latencyMs,
    OffsetDateTime sortTime, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /** Where the list orders it: the next page starts after this. */
  Cursors.Position position() {
    return new Cursors.Position(sortTime, id);
  }
}
