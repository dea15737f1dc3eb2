package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("On 1 000 000 spans, ingestion")
class IngestPlanTest {

  @Test
  @DisplayName("re-derives trace fields through the span key, not by scanning spans")
  void recomputeUsesTheSpanKey() throws Exception {
    JsonObject plan = PlanFixture.plan(IngestSql.RECOMPUTE_TRACES, PlanFixture.PROJECT,
        new String[] {"t11", "t21", "t31"});
    assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
  }
}
