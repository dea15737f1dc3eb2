package dev.sextant.projects;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Projects and who belongs to them; rows are mapped into records here, once. */
final class ProjectRepository {

  private static final String OWNER = "owner";

  private final Pool pool;

  ProjectRepository(Pool pool) {
    this.pool = pool;
  }

  /** Creates the project with {@code ownerId} as its owner, both or neither. */
  Future<Project.Membership> create(UUID id, String name, int retentionDays, UUID ownerId) {
    return pool.withTransaction(conn -> conn.preparedQuery(ProjectSql.INSERT_PROJECT)
        .execute(Tuple.of(id, name, retentionDays))
        .compose(rows -> conn.preparedQuery(ProjectSql.INSERT_MEMBER)
            .execute(Tuple.of(ownerId, id, OWNER))
            .map(ignored -> new Project.Membership(project(rows.iterator().next()), OWNER))));
  }

  /** The user's projects, oldest first, each with the user's role in it. */
  Future<List<Project.Membership>> listForUser(UUID userId) {
    return pool.preparedQuery(ProjectSql.PROJECTS_OF_USER)
        .execute(Tuple.of(userId))
        .map(rows -> {
          List<Project.Membership> projects = new ArrayList<>(rows.size());
          rows.forEach(row -> projects.add(new Project.Membership(project(row), row.getString("role"))));
          return projects;
        });
  }

  /** The user's role in the project, or null when the user is not a member (or it does not exist). */
  Future<String> roleOf(UUID userId, UUID projectId) {
    return pool.preparedQuery(ProjectSql.ROLE_IN_PROJECT)
        .execute(Tuple.of(userId, projectId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("role"));
  }

  /** The project, or null when there is none. */
  Future<Project> findById(UUID projectId) {
    return pool.preparedQuery(ProjectSql.PROJECT_BY_ID)
        .execute(Tuple.of(projectId))
        .map(rows -> rows.size() == 0 ? null : project(rows.iterator().next()));
  }

  private static Project project(Row row) {
    return new Project(row.getUUID("id"), row.getString("name"), row.getInteger("retention_days"),
        row.getOffsetDateTime("created_at"));
  }
}
