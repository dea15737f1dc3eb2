package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("On 1 000 000 spans, ingestion")
class IngestPlanTest {

  private static final Object[] BATCH = {PlanFixture.PROJECT, new String[] {"t11", "t21", "t31"}};

  @Test
  @DisplayName("re-derives trace fields through the span key, not by scanning spans")
  void recomputeUsesTheSpanKey() throws Exception {
    for (JsonObject plan : new JsonObject[] {
        PlanFixture.plan(IngestSql.RECOMPUTE_TRACES, BATCH),
        PlanFixture.genericPlan(IngestSql.RECOMPUTE_TRACES, BATCH)}) {
      assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
      assertThat(PlanFixture.indexesOn(plan, "spans")).as(plan.encodePrettily()).containsOnly("spans_pkey");
    }
  }

  @Test
  @DisplayName("updates re-sent scores through their key")
  void scoreUpdatesUseTheKey() throws Exception {
    Object[] params = {PlanFixture.PROJECT, new String[] {"sc-t11"}, new String[] {null},
        new String[] {null}, new String[] {null}, null, new String[] {null}, new String[] {null},
        new String[] {"better"}};
    for (JsonObject plan : new JsonObject[] {
        PlanFixture.plan(IngestSql.UPDATE_SCORES, params),
        PlanFixture.genericPlan(IngestSql.UPDATE_SCORES, params)}) {
      assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
      assertThat(PlanFixture.indexesOn(plan, "scores")).as(plan.encodePrettily()).containsOnly("scores_pkey");
    }
  }

  @Test
  @DisplayName("finds the batch's trace rows by primary key, even in the generic plan")
  void recomputeFindsTracesByKey() throws Exception {
    // a generic plan once joined the batch to every trace of the project, found by project alone
    JsonObject plan = PlanFixture.genericPlan(IngestSql.RECOMPUTE_TRACES, BATCH);
    assertThat(PlanFixture.indexesOn(plan, "traces")).as(plan.encodePrettily()).containsOnly("traces_pkey");
  }

  @Test
  @DisplayName("marks the dashboard minutes of the batch's traces and spans through their keys")
  void rollupMarksUseTheKeys() throws Exception {
    Object[] after = {PlanFixture.PROJECT, new String[] {"t11", "t21", "t31"},
        "{2026-10-01T00:04:35Z,2026-10-01T00:08:45Z}", "{2026-10-01T00:04:00Z}"};
    for (JsonObject plan : new JsonObject[] {
        PlanFixture.plan(IngestSql.MINUTES_BEFORE, BATCH),
        PlanFixture.genericPlan(IngestSql.MINUTES_BEFORE, BATCH)}) {
      assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
      assertThat(PlanFixture.indexesOn(plan, "traces")).as(plan.encodePrettily()).containsOnly("traces_pkey");
      assertThat(PlanFixture.indexesOn(plan, "spans")).as(plan.encodePrettily()).containsOnly("spans_pkey");
    }
    for (JsonObject plan : new JsonObject[] {
        PlanFixture.plan(IngestSql.MARK, after),
        PlanFixture.genericPlan(IngestSql.MARK, after)}) {
      assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
      assertThat(PlanFixture.indexesOn(plan, "traces")).as(plan.encodePrettily()).containsOnly("traces_pkey");
      // the spans' start times come with the batch: no span is read
      assertThat(PlanFixture.indexesOn(plan, "spans")).as(plan.encodePrettily()).isEmpty();
    }
  }
}
