package dev.sextant.common;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: its items, and the cursor of the page after it, null on the last page.
 *
 * <p>A keyset-paged list reads {@link #fetchSize(int) limit + 1} rows in (time, id) descending
 * order, starting strictly after the position its cursor gives ({@link Cursors#decode}), and hands
 * them to {@link #of}: the extra row only tells that another page follows; the cursor is the
 * position of the last item shown. A list that is not paged answers {@link #all} in the same shape.
 *
 * @param items the items of this page, in order; never null, nor is any item
 * @param nextCursor what the client passes back as {@code cursor} for the next page, or null
 */
public record Page<T>(List<T> items, String nextCursor) {

  public Page {
    items = List.copyOf(items);
  }

  /** How many rows a page of {@code limit} items reads: one more, to see whether more follow. */
  public static int fetchSize(int limit) {
    return limit + 1;
  }

  /**
   * The page of {@code limit} items from the rows read for it.
   *
   * @param fetched the rows read, at most {@link #fetchSize(int) limit + 1}, in list order
   * @param position the (time, id) a row is ordered by, which the next page starts after
   * @throws IllegalArgumentException if {@code limit} is below 1, or more rows were read than a
   *     page reads: the statement did not ask for {@link #fetchSize(int)}
   */
  public static <T> Page<T> of(List<T> fetched, int limit,
      Function<? super T, Cursors.Position> position) {
    if (limit < 1) {
      throw new IllegalArgumentException("a page holds at least 1 item, not " + limit);
    }
    if (fetched.size() > fetchSize(limit)) {
      throw new IllegalArgumentException(
          fetched.size() + " rows read for a page of " + limit + ": read " + fetchSize(limit));
    }
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> items = fetched.subList(0, limit);
    return new Page<>(items, Cursors.encode(position.apply(items.get(limit - 1))));
  }

  /** The whole of a list that is not paged, on one page. */
  public static <T> Page<T> all(List<T> items) {
    return new Page<>(items, null);
  }
}
