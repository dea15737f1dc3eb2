package dev.sextant.rollups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import dev.sextant.db.Database;
import dev.sextant.support.TestInfra;
import dev.sextant.tracemodel.RollupMarks;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The deltas a batch counts in Java land where PostgreSQL would put the same rows: the same
 * minute, duration and latency bin, for times sent through the same client encoding.
 */
@DisplayName("Roll-up deltas counted in Java")
class RollupDeltasCountTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Database.createPool(vertx, new DatabaseConfig(TestInfra.newDatabase(), 2, 256, 1024, 5000, 0, 0));
  }

  @AfterAll
  static void close() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("bin a duration as the SQL bin does")
  void binsAsSql() {
    List<Double> durations = new ArrayList<>(List.of(0.0, -1.0, 0.001, 0.5, 1.0, 1e9, 2.5e14));
    for (int ms = 1; ms <= 20_000; ms++) {
      durations.add((double) ms);
    }
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      durations.add(random.nextInt(600_000_000) / 1000.0); // microsecond steps up to 10 minutes
    }
    List<Row> rows = query("SELECT " + LatencySketch.binOf("d") + " FROM unnest($1::float8[]) d",
        Tuple.of(durations.toArray(Double[]::new)));
    for (int i = 0; i < durations.size(); i++) {
      assertThat(LatencySketch.bin(durations.get(i))).as("bin of %s ms", durations.get(i))
          .isEqualTo(rows.get(i).getInteger(0));
    }
  }

  @Test
  @DisplayName("read times, durations and minutes as PostgreSQL stores and computes them")
  void timesAsStored() {
    OffsetDateTime[][] pairs = {
        {time("2026-11-20T10:15:59.999999999Z"), time("2026-11-20T10:16:00.000000001Z")},
        {time("2026-11-20T10:15:00Z"), time("2026-11-20T10:15:00.000000999Z")},
        {time("2026-11-20T10:15:00.0000015Z"), time("2026-11-21T12:00:00.0000025Z")},
        {time("2026-01-01T00:00:00Z"), time("2026-03-05T07:08:09.123456789Z")},
        {time("1999-12-31T23:59:59.9999995Z"), time("2000-01-01T00:00:00.0000005Z")},
        {time("1999-12-31T23:58:59.0000001Z"), time("1999-12-31T23:59:00.9999999Z")},
        {time("1970-01-01T00:00:00.000000001Z"), time("1970-01-01T00:01:00Z")},
        {time("9999-12-31T23:59:59.999999999Z"), time("9999-12-31T23:59:59.999999999Z")},
        {time("2026-11-20T10:15:30.5Z"), time("2026-11-20T10:15:30.25Z")}};
    OffsetDateTime[] starts = new OffsetDateTime[pairs.length];
    OffsetDateTime[] ends = new OffsetDateTime[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      starts[i] = pairs[i][0];
      ends[i] = pairs[i][1];
    }
    // arrays, as ingest sends them
    List<Row> rows = query("SELECT date_part('epoch', e - s) * 1000, " + RollupMarks.minuteOf("s")
        + " FROM unnest($1::timestamptz[], $2::timestamptz[]) AS t(s, e)", Tuple.tuple().addValue(starts).addValue(ends));
    for (int i = 0; i < pairs.length; i++) {
      long start = RollupDeltas.storedMicros(starts[i]);
      assertThat(RollupDeltas.durationMs(start, RollupDeltas.storedMicros(ends[i])))
          .as("duration from %s to %s", starts[i], ends[i]).isEqualTo(rows.get(i).getDouble(0));
      assertThat(RollupDeltas.minuteOf(start)).as("minute of %s", starts[i])
          .isEqualTo(rows.get(i).getOffsetDateTime(1).toEpochSecond());
    }
  }

  private static OffsetDateTime time(String text) {
    return OffsetDateTime.parse(text);
  }

  private static List<Row> query(String sql, Tuple params) {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(sql).execute(params).await().forEach(rows::add);
    return rows;
  }
}
