package dev.sextant.projects;

import dev.sextant.common.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Projects and who belongs to them. */
final class ProjectRepository {

  private final Pool pool;

  ProjectRepository(Pool pool) {
    this.pool = pool;
  }

  /** Creates the project with {@code ownerId} as its owner, both or neither. */
  Future<JsonObject> create(UUID id, String name, int retentionDays, UUID ownerId) {
    return pool.withTransaction(conn -> conn.preparedQuery(ProjectSql.INSERT_PROJECT)
        .execute(Tuple.of(id, name, retentionDays))
        .compose(rows -> conn.preparedQuery(ProjectSql.INSERT_MEMBER)
            .execute(Tuple.of(ownerId, id, "owner"))
            .map(ignored -> toJson(rows.iterator().next()).put("role", "owner"))));
  }

  Future<JsonArray> listForUser(UUID userId) {
    return pool.preparedQuery(ProjectSql.PROJECTS_OF_USER)
        .execute(Tuple.of(userId))
        .map(rows -> {
          JsonArray projects = new JsonArray();
          rows.forEach(row -> projects.add(toJson(row).put("role", row.getString("role"))));
          return projects;
        });
  }

  /** The user's role in the project, or null when the user is not a member (or it does not exist). */
  Future<String> roleOf(UUID userId, UUID projectId) {
    return pool.preparedQuery(ProjectSql.ROLE_IN_PROJECT)
        .execute(Tuple.of(userId, projectId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("role"));
  }

  Future<JsonObject> findById(UUID projectId) {
    return pool.preparedQuery(ProjectSql.PROJECT_BY_ID)
        .execute(Tuple.of(projectId))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()));
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("name", row.getString("name"))
        .put("retention_days", row.getInteger("retention_days"))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")));
  }
}
