package dev.sextant.projects;

/** SQL of projects and their members. */
final class ProjectSql {

  private ProjectSql() {}

  static final String INSERT_PROJECT = """
      INSERT INTO projects (id, name, retention_days) VALUES ($1, $2, $3)
      RETURNING id, name, retention_days, created_at""";

  static final String INSERT_MEMBER = """
      INSERT INTO project_members (user_id, project_id, role) VALUES ($1, $2, $3)""";

  static final String PROJECTS_OF_USER = """
      SELECT p.id, p.name, p.retention_days, p.created_at, m.role
        FROM project_members m JOIN projects p ON p.id = m.project_id
       WHERE m.user_id = $1
       ORDER BY p.created_at, p.id""";

  static final String ROLE_IN_PROJECT = """
      SELECT role FROM project_members WHERE user_id = $1 AND project_id = $2""";

  static final String PROJECT_BY_ID = """
      SELECT id, name, retention_days, created_at FROM projects WHERE id = $1""";
}
