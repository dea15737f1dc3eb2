package dev.sextant.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A page")
class PageTest {

  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-27T08:00:00.123456Z");

  private record Row(OffsetDateTime time, String id) {
    Cursors.Position position() {
      return new Cursors.Position(time, id);
    }
  }

  /** {@code n} rows in list order: newest first. */
  private static List<Row> rows(int n) {
    return new ArrayList<>(IntStream.range(0, n).mapToObj(i -> new Row(T0.minusSeconds(i), "t" + i)).toList());
  }

  @Test
  @DisplayName("of fewer rows than the limit is the last page: all of them, no cursor")
  void fewerRowsThanTheLimit() {
    Page<Row> page = Page.of(rows(3), 5, Row::position);

    assertThat(page.items()).containsExactlyElementsOf(rows(3));
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  @DisplayName("of exactly the limit is the last page too: no row followed")
  void exactlyTheLimit() {
    Page<Row> page = Page.of(rows(5), 5, Row::position);

    assertThat(page.items()).hasSize(5);
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  @DisplayName("of one row more than the limit leaves that row out, and its cursor is the last item's position")
  void oneRowMore() {
    Page<Row> page = Page.of(rows(6), 5, Row::position);

    assertThat(page.items()).containsExactlyElementsOf(rows(5));
    assertThat(Cursors.decode(page.nextCursor())).isEqualTo(new Cursors.Position(T0.minusSeconds(4), "t4"));
  }

  @Test
  @DisplayName("of no row is an empty last page")
  void noRow() {
    Page<Row> page = Page.of(List.of(), 1, Row::position);

    assertThat(page.items()).isEmpty();
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  @DisplayName("reads one row more than its limit")
  void fetchSize() {
    assertThat(Page.fetchSize(1)).isEqualTo(2);
    assertThat(Page.fetchSize(1000)).isEqualTo(1001);
  }

  @Test
  @DisplayName("of more rows than a page reads is refused: the statement did not ask for limit + 1")
  void tooManyRows() {
    assertThatThrownBy(() -> Page.of(rows(7), 5, Row::position))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 rows read for a page of 5");
  }

  @Test
  @DisplayName("of a limit below 1 is refused")
  void limitBelowOne() {
    assertThatThrownBy(() -> Page.of(rows(1), 0, Row::position))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  @Test
  @DisplayName("keeps its items whatever happens to the rows it was made from")
  void itemsAreItsOwn() {
    List<Row> fetched = rows(3);
    Page<Row> page = Page.of(fetched, 2, Row::position);
    fetched.clear();

    assertThat(page.items()).hasSize(2);
    assertThatThrownBy(() -> page.items().add(new Row(T0, "x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("of an unpaged list holds all of it, with no cursor")
  void all() {
    Page<String> page = Page.all(List.of("a", "b"));

    assertThat(page.items()).containsExactly("a", "b");
    assertThat(page.nextCursor()).isNull();
  }
}
