package dev.sextant.experiments;

import dev.sextant.common.Cursors;
import dev.sextant.common.Page;
import dev.sextant.db.SqlStates;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Datasets and items of one project; rows are mapped into records here, once. */
final class DatasetRepository {

  /** Thrown when the project has a dataset of that name already. */
  static final class NameTaken extends RuntimeException {
    NameTaken() {
      super("a dataset of that name exists", null, false, false);
    }
  }

  private static final OffsetDateTime FAR_FUTURE = OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime FAR_PAST = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final String LAST_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

  private final Pool pool;

  DatasetRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Dataset> create(UUID id, UUID projectId, String name, String description) {
    return pool.preparedQuery(DatasetSql.INSERT).execute(Tuple.of(id, projectId, name, description))
        .map(rows -> dataset(rows.iterator().next()))
        .recover(failure -> Future.failedFuture(
            SqlStates.isUniqueViolation(failure) ? new NameTaken() : failure));
  }

  /** The dataset, or null when the project has none of that id. */
  Future<Dataset> find(UUID projectId, UUID id) {
    return pool.preparedQuery(DatasetSql.FIND).execute(Tuple.of(id, projectId))
        .map(rows -> rows.size() == 0 ? null : dataset(rows.iterator().next()));
  }

  /** One page of the project's datasets, newest first. */
  Future<Page<Dataset>> list(UUID projectId, Cursors.Position after, int limit) {
    OffsetDateTime time = after == null ? FAR_FUTURE : after.time();
    UUID id = UUID.fromString(after == null ? LAST_UUID : after.id());
    return pool.preparedQuery(DatasetSql.LIST).execute(Tuple.of(projectId, time, id, Page.fetchSize(limit)))
        .map(rows -> {
          List<Dataset> datasets = new ArrayList<>(rows.size());
          rows.forEach(row -> datasets.add(dataset(row)));
          return Page.of(datasets, limit, Dataset::position);
        });
  }

  /**
   * Upserts the items (ids distinct) in one statement; the dataset's item count after it, or null
   * when the project has no such dataset (nothing is written then).
   */
  Future<Long> upsertItems(UUID projectId, UUID datasetId, List<DatasetItem.Draft> items) {
    int n = items.size();
    String[] ids = new String[n];
    String[] inputs = new String[n];
    String[] expected = new String[n];
    String[] metadata = new String[n];
    for (int i = 0; i < n; i++) {
      DatasetItem.Draft item = items.get(i);
      ids[i] = item.id();
      inputs[i] = item.input();
      expected[i] = item.expectedOutput();
      metadata[i] = item.metadata();
    }
    Tuple params = Tuple.of(datasetId, projectId, ids, inputs, expected, metadata);
    return pool.preparedQuery(DatasetSql.UPSERT_ITEMS).execute(params)
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
  }

  /** One page of the dataset's items, oldest first, or null when the project has no such dataset. */
  Future<Page<DatasetItem>> items(UUID projectId, UUID datasetId, Cursors.Position after, int limit) {
    OffsetDateTime time = after == null ? FAR_PAST : after.time();
    String id = after == null ? "" : after.id();
    Tuple params = Tuple.of(datasetId, projectId, time, id, Page.fetchSize(limit));
    return pool.preparedQuery(DatasetSql.LIST_ITEMS).execute(params).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      List<DatasetItem> items = new ArrayList<>(rows.size());
      for (Row row : rows) {
        if (row.getString("id") != null) {
          items.add(new DatasetItem(row.getString("id"), row.getValue("input"),
              row.getValue("expected_output"), row.getValue("metadata"),
              row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at")));
        }
      }
      return Page.of(items, limit, DatasetItem::position);
    });
  }

  private static Dataset dataset(Row row) {
    return new Dataset(row.getUUID("id"), row.getString("name"), row.getString("description"),
        row.getLong("item_count"), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }
}
