package dev.sextant.rollups;

import java.util.List;

/**
 * The shape of the roll-up tables ({@code rollup_traces}, {@code rollup_models}), shared by the
 * job that keeps them (dashboard) and their readers (dashboard, trace stats).
 *
 * <p>Rows come in three widths: minutes, recomputed from the raw rows; hours, folded from their
 * minute rows; UTC days, folded from their hour rows. A trace row belongs to one dimension:
 * {@code all} (the bucket's totals, key null) or one value of the trace's {@code name},
 * {@code user_id} or {@code release} (key null: traces without one).
 */
public final class Rollups {

  private Rollups() {}

  public static final int MINUTE = 60;
  public static final int HOUR = 3_600;
  public static final int DAY = 86_400;
  /** The widths, widest first. */
  public static final List<Integer> WIDTHS = List.of(DAY, HOUR, MINUTE);

  public static final String ALL = "all";
  public static final String NAME = "name";
  public static final String USER_ID = "user_id";
  public static final String RELEASE = "release";
  /** Every dimension of {@code rollup_traces}. */
  public static final List<String> TRACE_DIMENSIONS = List.of(ALL, NAME, USER_ID, RELEASE);
  /** {@link #TRACE_DIMENSIONS} as an SQL text array literal. */
  public static final String TRACE_DIMENSIONS_ARRAY = "{" + String.join(",", TRACE_DIMENSIONS) + "}";
}
