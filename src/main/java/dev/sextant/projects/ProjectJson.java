package dev.sextant.projects;

import dev.sextant.common.Times;
import io.vertx.core.json.JsonObject;

/** The wire shapes of projects, in one place. */
final class ProjectJson {

  private ProjectJson() {}

  static JsonObject project(Project project) {
    return new JsonObject()
        .put("id", project.id().toString())
        .put("name", project.name())
        .put("retention_days", project.retentionDays())
        .put("created_at", Times.format(project.createdAt()));
  }

  /** The project with the member's {@code role}: the project list and a project just created. */
  static JsonObject membership(Project.Membership membership) {
    return project(membership.project()).put("role", membership.role());
  }

  /** The short form {@code /me} lists. */
  static JsonObject summary(Project.Membership membership) {
    return new JsonObject()
        .put("id", membership.project().id().toString())
        .put("name", membership.project().name())
        .put("role", membership.role());
  }
}
