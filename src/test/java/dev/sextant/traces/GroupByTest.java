package dev.sextant.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("The stats groupings")
class GroupByTest {

  @Test
  @DisplayName("are exactly the group_by values of the contract, each found by its name")
  void allowlist() {
    assertThat(GroupBy.BY_PARAM).containsOnlyKeys("none", "name", "model", "user_id", "release");
    GroupBy.BY_PARAM.forEach((param, groupBy) -> assertThat(groupBy.param()).isEqualTo(param));
  }

  @Test
  @DisplayName("key their groups by the column of the same name, and none by NULL")
  void columns() {
    assertThat(GroupBy.NONE.column()).isEqualTo("NULL::text");
    for (GroupBy groupBy : GroupBy.values()) {
      if (groupBy != GroupBy.NONE) {
        assertThat(groupBy.column()).isEqualTo(groupBy.param());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = GroupBy.class, names = "MODEL", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("over traces each have their statement, grouped by their column")
  void traceStatements(GroupBy groupBy) {
    assertThat(groupBy.countsSpans()).isFalse();
    assertThat(TraceSql.traceStats(groupBy))
        .isEqualTo(TraceSql.TRACE_STATS.formatted(groupBy.column()))
        .startsWith("SELECT " + groupBy.column() + " AS key,");
  }

  @Test
  @DisplayName("by model count spans, and have no statement over traces")
  void modelCountsSpans() {
    assertThat(GroupBy.MODEL.countsSpans()).isTrue();
    assertThatThrownBy(() -> TraceSql.traceStats(GroupBy.MODEL))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
