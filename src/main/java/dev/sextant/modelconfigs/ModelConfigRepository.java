package dev.sextant.modelconfigs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Model configs of one project; rows are mapped into records here, once. */
final class ModelConfigRepository {

  private final Pool pool;

  ModelConfigRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Writes the next version of the draft's name with its labels (moved from older versions),
   * in one transaction under a lock on the name: concurrent creates get consecutive versions.
   */
  Future<ModelConfig> create(UUID projectId, ModelConfig.Draft draft) {
    return pool.withTransaction(conn -> conn.preparedQuery(ModelConfigSql.LOCK_NAME)
        .execute(Tuple.of(projectId, draft.name()))
        .compose(locked -> conn.preparedQuery(ModelConfigSql.INSERT_VERSION).execute(Tuple.of(
            projectId, draft.name(), draft.provider(), draft.model(), draft.parameters(),
            draft.promptTemplate())))
        .map(rows -> rows.iterator().next().getInteger("version"))
        .compose(version -> draft.labels().isEmpty() ? Future.succeededFuture(version)
            : conn.preparedQuery(ModelConfigSql.SET_LABELS)
                .execute(Tuple.of(projectId, draft.name(), draft.labels().toArray(new String[0]), version))
                .map(version))
        .compose(version -> byVersion(conn, projectId, draft.name(), version)));
  }

  /** The newest version of the name, or null when the project has none. */
  Future<ModelConfig> newest(UUID projectId, String name) {
    return pool.preparedQuery(ModelConfigSql.NEWEST).execute(Tuple.of(projectId, name))
        .map(ModelConfigRepository::first);
  }

  /** The version, or null when the project has no such name or version. */
  Future<ModelConfig> version(UUID projectId, String name, int version) {
    return pool.preparedQuery(ModelConfigSql.BY_VERSION).execute(Tuple.of(projectId, name, version))
        .map(ModelConfigRepository::first);
  }

  /** The version the label names, or null when the name has no such label. */
  Future<ModelConfig> labelled(UUID projectId, String name, String label) {
    return pool.preparedQuery(ModelConfigSql.BY_LABEL).execute(Tuple.of(projectId, name, label))
        .map(ModelConfigRepository::first);
  }

  /** Every version of the name, newest first; empty when the project has no such name. */
  Future<List<ModelConfig>> versions(UUID projectId, String name) {
    return pool.preparedQuery(ModelConfigSql.VERSIONS).execute(Tuple.of(projectId, name))
        .map(ModelConfigRepository::all);
  }

  /** The newest version of each name of the project, by name. */
  Future<List<ModelConfig>> newestOfEach(UUID projectId) {
    return pool.preparedQuery(ModelConfigSql.NEWEST_OF_EACH).execute(Tuple.of(projectId))
        .map(ModelConfigRepository::all);
  }

  /**
   * Points the label at the version; the version as it is now labelled, or null when the project
   * has no such name or version (nothing is changed then).
   */
  Future<ModelConfig> moveLabel(UUID projectId, String name, String label, int version) {
    return pool.withTransaction(conn -> conn.preparedQuery(ModelConfigSql.MOVE_LABEL)
        .execute(Tuple.of(projectId, name, label, version))
        .compose(rows -> rows.size() == 0 ? Future.<ModelConfig>succeededFuture(null)
            : byVersion(conn, projectId, name, version)));
  }

  private static Future<ModelConfig> byVersion(SqlConnection conn, UUID projectId, String name,
      int version) {
    return conn.preparedQuery(ModelConfigSql.BY_VERSION).execute(Tuple.of(projectId, name, version))
        .map(ModelConfigRepository::first);
  }

  private static ModelConfig first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : config(rows.iterator().next());
  }

  private static List<ModelConfig> all(RowSet<Row> rows) {
    List<ModelConfig> configs = new ArrayList<>(rows.size());
    rows.forEach(row -> configs.add(config(row)));
    return configs;
  }

  private static ModelConfig config(Row row) {
    Object parameters = row.getValue("parameters");
    String[] labels = row.getArrayOfStrings("labels");
    return new ModelConfig(row.getString("name"), row.getInteger("version"),
        row.getString("provider"), row.getString("model"),
        parameters instanceof JsonObject object ? object : new JsonObject(),
        row.getString("prompt_template"), labels == null ? List.of() : List.of(labels),
        row.getOffsetDateTime("created_at"));
  }
}
