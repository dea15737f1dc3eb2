package dev.sextant.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("On 100 000 traces and 1 000 000 spans, a retention batch finds and deletes through indexes")
class RetentionPlanTest {

  static Stream<Arguments> cutoffs() {
    return Stream.of(
        Arguments.of("a few expired", false, "2026-10-03T00:00:00Z"),
        Arguments.of("every trace expired", false, "2027-01-01T00:00:00Z"),
        Arguments.of("generic plan", true, "2026-10-15T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cutoffs")
  void batchUsesIndexes(String name, boolean generic, String cutoff) throws SQLException {
    Object[] params = {PlanFixture.PROJECT, cutoff, 500};
    JsonObject plan = generic
        ? PlanFixture.genericPlan(RetentionSql.DELETE_EXPIRED_BATCH, params)
        : PlanFixture.plan(RetentionSql.DELETE_EXPIRED_BATCH, params);
    String shown = plan.encodePrettily();
    assertThat(PlanFixture.sequentialScans(plan)).as(shown).isEmpty();
    // finding the batch: through the list index (a bitmap scan of it names no table)
    assertThat(indexes(plan)).as(shown).contains("traces_list_idx");
    // deleting it: through the primary keys and the scores of a trace, never a whole project
    assertThat(PlanFixture.indexesOn(plan, "traces")).as(shown).isSubsetOf("traces_list_idx", "traces_pkey")
        .contains("traces_pkey");
    assertThat(PlanFixture.indexesOn(plan, "spans")).as(shown).containsExactly("spans_pkey");
    assertThat(PlanFixture.indexesOn(plan, "scores")).as(shown).containsExactly("scores_trace_idx");
  }

  private static List<String> indexes(JsonObject plan) {
    List<String> found = new ArrayList<>();
    PlanFixture.walk(plan, node -> {
      if (node.getString("Index Name") != null) {
        found.add(node.getString("Index Name"));
      }
    });
    return found;
  }
}
