package dev.sextant.rollups;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How {@link RollupStats} splits a range: whole buckets of the roll-ups, widest first, and raw
 * edges, covering the range exactly once (seeded random ranges and dirty minutes).
 */
@DisplayName("A stats range, split for the roll-ups,")
class StatsRangeSplitTest {

  private static final long DAY = 86_400;
  private static final Instant BEGINNING = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant FAR_FUTURE = Instant.parse("+10000-01-01T00:00:00Z");

  @Test
  @DisplayName("covers it exactly once, with aligned buckets and less than two minutes read raw")
  void coversExactlyOnce() {
    Random random = new Random(42);
    long base = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      Instant from = randomInstant(random, base);
      Instant to = randomInstant(random, base);
      if (to.isBefore(from)) {
        Instant t = from;
        from = to;
        to = t;
      }
      RollupStats.Plan plan = RollupStats.plan(from, to, new TreeSet<>());
      assertCovers(plan, from, to);
      assertThat(plan.edges()).as(from + " " + to).hasSizeLessThanOrEqualTo(2);
      // each edge is part of a minute, or the whole range is within two minutes
      assertThat(plan.edges().stream()
          .mapToLong(e -> java.time.Duration.between(e.from(), e.to()).toMillis()).sum())
          .as(from + " " + to).isLessThan(120_000);
      long hours = plan.rollups().stream().filter(p -> p.seconds() == Rollups.HOUR)
          .mapToLong(p -> (p.to().getEpochSecond() - p.from().getEpochSecond()) / 3600).sum();
      long minutes = plan.rollups().stream().filter(p -> p.seconds() == Rollups.MINUTE)
          .mapToLong(p -> (p.to().getEpochSecond() - p.from().getEpochSecond()) / 60).sum();
      assertThat(hours).as(from + " " + to).isLessThanOrEqualTo(46);
      assertThat(minutes).as(from + " " + to).isLessThanOrEqualTo(118);
      assertThat(plan.rollups().stream().filter(p -> p.seconds() == Rollups.DAY)).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  @DisplayName("over all time is one range of day rows and nothing raw")
  void allTime() {
    RollupStats.Plan plan = RollupStats.plan(BEGINNING, FAR_FUTURE, new TreeSet<>());
    assertThat(plan.rollups()).containsExactly(new RollupStats.Piece(Rollups.DAY, BEGINNING, FAR_FUTURE));
    assertThat(plan.edges()).isEmpty();
  }

  @Test
  @DisplayName("reads the minutes not folded in yet raw, and no bucket holding one from the roll-ups")
  void dirtyMinutesRaw() {
    Random random = new Random(7);
    long base = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 5_000; i++) {
      NavigableSet<Long> dirty = new TreeSet<>();
      int marks = random.nextInt(5);
      for (int m = 0; m < marks; m++) {
        dirty.add(base + random.nextInt(10 * 1440) * 60L);
      }
      Instant from = random.nextBoolean() ? BEGINNING : randomInstant(random, base);
      Instant to = random.nextBoolean() ? FAR_FUTURE : randomInstant(random, base);
      if (to.isBefore(from)) {
        Instant t = from;
        from = to;
        to = t;
      }
      RollupStats.Plan plan = RollupStats.plan(from, to, dirty);
      assertCovers(plan, from, to);
      for (RollupStats.Piece piece : plan.rollups()) {
        assertThat(dirty.subSet(piece.from().getEpochSecond(), true, piece.to().getEpochSecond(), false))
            .as(piece + " holds a dirty minute").isEmpty();
      }
    }
  }

  /** Every piece aligned to its width; pieces and edges, sorted, tile [from, to) exactly. */
  private static void assertCovers(RollupStats.Plan plan, Instant from, Instant to) {
    List<RollupStats.Piece> all = new ArrayList<>(plan.rollups());
    all.addAll(plan.edges());
    for (RollupStats.Piece piece : plan.rollups()) {
      assertThat(piece.from().getEpochSecond() % piece.seconds()).as(piece.toString()).isZero();
      assertThat(piece.to().getEpochSecond() % piece.seconds()).as(piece.toString()).isZero();
      assertThat(piece.from()).isBefore(piece.to());
      assertThat(piece.from().getNano()).isZero();
    }
    all.sort(Comparator.comparing(RollupStats.Piece::from));
    Instant at = from;
    for (RollupStats.Piece piece : all) {
      assertThat(piece.from()).as(from + " " + to + ": " + all).isEqualTo(at);
      at = piece.to();
    }
    assertThat(at).as(from + " " + to + ": " + all).isEqualTo(from.equals(to) ? from : to);
  }

  private static Instant randomInstant(Random random, long base) {
    long seconds = base + (long) (random.nextDouble() * 10 * DAY);
    // a third on a whole minute, hour or day, the rest anywhere to the nanosecond
    return switch (random.nextInt(6)) {
      case 0 -> Instant.ofEpochSecond(seconds - Math.floorMod(seconds, 60));
      case 1 -> Instant.ofEpochSecond(seconds - Math.floorMod(seconds, 3600));
      case 2 -> Instant.ofEpochSecond(seconds - Math.floorMod(seconds, DAY));
      default -> Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000));
    };
  }
}
