package dev.sextant.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.common.Cursors;
import dev.sextant.support.PlanFixture;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("On 1 000 000 spans, the trace reads use indexes, with the values and without (generic plan)")
class TracePlanTest {

  private static final UUID PROJECT = UUID.fromString(PlanFixture.PROJECT);
  private static final OffsetDateTime FROM = OffsetDateTime.parse("2026-10-10T00:00:00Z");
  private static final OffsetDateTime TO = OffsetDateTime.parse("2026-10-12T00:00:00Z");
  private static final OffsetDateTime BEGINNING = OffsetDateTime.parse("1970-01-01T00:00:00Z");
  private static final OffsetDateTime END = OffsetDateTime.parse("2126-01-01T00:00:00Z");

  private static TraceFilter filter(String name, String user, String session, String release,
      List<String> tags, String status, Cursors.Position after) {
    return new TraceFilter(null, null, name, user, session, release, tags, status, after, 50);
  }

  static Stream<Arguments> statements() {
    Cursors.Position middle = new Cursors.Position(OffsetDateTime.parse("2026-10-20T00:00:00Z"), "t50000");
    return Stream.of(
        list("list, newest first", filter(null, null, null, null, List.of(), null, null)),
        list("list, next page", filter(null, null, null, null, List.of(), null, middle)),
        list("list by name", filter("name-3", null, null, null, List.of(), null, null)),
        list("list by user_id", filter(null, "user-7", null, null, List.of(), null, null)),
        list("list by session_id", filter(null, null, "session-9", null, List.of(), null, null)),
        list("list by release", filter(null, null, null, "1.2", List.of(), null, null)),
        list("list by tags", filter(null, null, null, null, List.of("tag-1", "env-1"), null, null)),
        list("list of errors", filter(null, null, null, null, List.of(), "error", null)),
        list("list of ok traces", filter(null, null, null, null, List.of(), "ok", null)),
        list("list in a time range", new TraceFilter(FROM, TO, null, null, null, null, List.of(), null, null, 50)),
        list("list by name, next page", filter("name-3", null, null, null, List.of(), null, middle)),
        Arguments.of("detail: the trace", TraceSql.TRACE_BY_ID, new Object[] {PROJECT, "t101"}),
        Arguments.of("detail: its spans", TraceSql.SPANS_OF_TRACE, new Object[] {PROJECT, "t101"}),
        Arguments.of("detail: its scores", TraceSql.SCORES_OF_TRACE, new Object[] {PROJECT, "t101"}),
        Arguments.of("delete", TraceSql.DELETE_TRACE, new Object[] {PROJECT, "t101"}),
        Arguments.of("delete: its spans, marking their minutes", TraceSql.DELETE_SPANS,
            new Object[] {PROJECT, "t101", "2026-10-01T00:42:05Z"}),
        Arguments.of("delete: its scores", TraceSql.DELETE_SCORES, new Object[] {PROJECT, "t101"}),
        Arguments.of("stats, no grouping", TraceSql.TRACE_STATS.formatted("NULL::text"),
            new Object[] {PROJECT, BEGINNING, END}),
        Arguments.of("stats by name", TraceSql.TRACE_STATS.formatted("name"), new Object[] {PROJECT, FROM, TO}),
        Arguments.of("stats by user_id", TraceSql.TRACE_STATS.formatted("user_id"),
            new Object[] {PROJECT, BEGINNING, END}),
        Arguments.of("stats by release", TraceSql.TRACE_STATS.formatted("release"),
            new Object[] {PROJECT, BEGINNING, END}),
        Arguments.of("stats by model, all time", TraceSql.MODEL_STATS_ALL_TIME, new Object[] {PROJECT}),
        Arguments.of("stats by model, from the beginning", TraceSql.MODEL_STATS, new Object[] {PROJECT, BEGINNING, END}),
        Arguments.of("stats by model, two days", TraceSql.MODEL_STATS, new Object[] {PROJECT, FROM, TO}));
  }

  private static Arguments list(String name, TraceFilter filter) {
    TraceFilter.Query query = filter.toQuery(PROJECT);
    Tuple params = query.params();
    Object[] values = new Object[params.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = params.getValue(i);
    }
    return Arguments.of(name, query.sql(), values);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("stats by model over all time read the spans grouped and in duration order; over an hour, by time")
  void modelStatsInOrder() throws Exception {
    JsonObject allTime = PlanFixture.plan(TraceSql.MODEL_STATS_ALL_TIME, PROJECT);
    assertThat(PlanFixture.indexesOn(allTime, "spans")).as(allTime.encodePrettily())
        .containsOnly("spans_model_duration_idx");
    assertThat(allTime.encode()).doesNotContain("\"Sort Key\":[\"spans.model\"");
    JsonObject hour = PlanFixture.plan(TraceSql.MODEL_STATS, PROJECT, FROM, FROM.plusHours(1));
    assertThat(hour.encode()).as(hour.encodePrettily()).contains("\"Index Name\":\"spans_time_idx\"")
        .doesNotContain("spans_model_duration_idx");
  }

  @org.junit.jupiter.api.Test
  @DisplayName("(the check itself notices a statement that scans spans)")
  void checkNoticesScans() throws Exception {
    JsonObject plan = PlanFixture.plan("SELECT * FROM spans WHERE name = $1", "span-3");
    assertThat(PlanFixture.sequentialScans(plan)).contains("spans");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void usesIndexes(String name, String sql, Object[] params) throws Exception {
    JsonObject plan = PlanFixture.plan(sql, params);
    assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
    JsonObject generic = PlanFixture.genericPlan(sql, params);
    assertThat(PlanFixture.sequentialScans(generic)).as(generic.encodePrettily()).isEmpty();
  }
}
