package dev.sextant.tracemodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The span totals of a batch")
class SpanTotalsTest {

  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-27T08:00:00Z");

  private record TestSpan(String traceId, String id, String status, Long inputTokens,
      Long outputTokens, Double costUsd, OffsetDateTime startTime, OffsetDateTime endTime)
      implements SpanTotals.Span {}

  @Test
  @DisplayName("aggregate per trace as the recompute does: unsent counts as 0, an end as its start")
  void perTrace() {
    Map<String, SpanTotals> totals = SpanTotals.byTrace(List.of(
        new TestSpan("t1", "b", "error", 5L, null, 0.25, T0.plusSeconds(1), null),
        new TestSpan("t1", "a", null, 10L, 2L, null, T0, T0.plusNanos(500_000_000)),
        new TestSpan("t2", "c", "ok", null, null, null, null, null)));

    assertThat(totals.get("t1"))
        .isEqualTo(new SpanTotals(2, 1, 15, 2, 0.25, T0, T0.plusSeconds(1)));
    assertThat(totals.get("t2")).isEqualTo(new SpanTotals(1, 0, 0, 0, 0, null, null));
  }

  @Test
  @DisplayName("of no span are none")
  void none() {
    assertThat(SpanTotals.byTrace(List.of())).isEmpty();
    assertThat(SpanTotals.NONE).isEqualTo(new SpanTotals(0, 0, 0, 0, 0, null, null));
  }
}
