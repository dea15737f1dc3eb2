package dev.sextant.retention;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Finds what each project keeps and deletes its expired traces in batches. */
final class RetentionRepository {

  /** A project and the start of the time it keeps. */
  record Cutoff(UUID projectId, OffsetDateTime keepFrom) {}

  /** What one batch removed; {@code found} expired traces were locked for it. */
  record Removed(long found, long traces, long spans, long scores) {

    static final Removed NONE = new Removed(0, 0, 0, 0);

    Removed plus(Removed other) {
      return new Removed(found + other.found, traces + other.traces, spans + other.spans,
          scores + other.scores);
    }
  }

  private final Pool pool;

  RetentionRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<Cutoff>> cutoffs() {
    return pool.query(RetentionSql.CUTOFFS).execute().map(rows -> {
      List<Cutoff> cutoffs = new ArrayList<>(rows.size());
      for (Row row : rows) {
        cutoffs.add(new Cutoff(row.getUUID("id"), row.getOffsetDateTime("cutoff")));
      }
      return cutoffs;
    });
  }

  /** Deletes up to {@code limit} of the oldest traces sorted before the cutoff, in one statement. */
  Future<Removed> deleteExpired(Cutoff cutoff, int limit) {
    return pool.preparedQuery(RetentionSql.DELETE_EXPIRED_BATCH)
        .execute(Tuple.of(cutoff.projectId(), cutoff.keepFrom(), limit))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Removed(row.getLong("found"), row.getLong("traces"), row.getLong("spans"),
              row.getLong("scores"));
        });
  }
}
