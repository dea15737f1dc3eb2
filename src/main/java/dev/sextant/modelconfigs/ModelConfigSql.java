package dev.sextant.modelconfigs;

/** SQL of model configs and their labels. */
final class ModelConfigSql {

  private ModelConfigSql() {}

  /**
   * Serialises the creates of one (project, name) until the transaction ends, so each reads the
   * previous one's version: $1 project id, $2 name.
   */
  static final String LOCK_NAME = """
      SELECT pg_advisory_xact_lock(hashtextextended($1::uuid::text || '/' || $2, 0))""";

  /** The next version of the name (1 for a new one); run under {@link #LOCK_NAME}. */
  static final String INSERT_VERSION = """
      INSERT INTO model_configs (project_id, name, version, provider, model, parameters, prompt_template)
      SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5::jsonb, $6
        FROM model_configs WHERE project_id = $1 AND name = $2
      RETURNING version""";

  /** Points each of the labels $3 (distinct) at version $4, moving those that named another. */
  static final String SET_LABELS = """
      INSERT INTO model_config_labels (project_id, name, label, version)
      SELECT $1, $2, l, $4 FROM unnest($3::text[]) AS l
      ON CONFLICT (project_id, name, label) DO UPDATE SET version = EXCLUDED.version""";

  /** Points label $3 at version $4 if that version exists; no row returned when it does not. */
  static final String MOVE_LABEL = """
      INSERT INTO model_config_labels (project_id, name, label, version)
      SELECT project_id, name, $3, version FROM model_configs
       WHERE project_id = $1 AND name = $2 AND version = $4
      ON CONFLICT (project_id, name, label) DO UPDATE SET version = EXCLUDED.version
      RETURNING version""";

  /** The columns of a config, from {@code c}, with the labels naming its version. */
  private static final String COLUMNS = """
      c.name, c.version, c.provider, c.model, c.parameters, c.prompt_template, c.created_at,
             ARRAY(SELECT l.label FROM model_config_labels l
                    WHERE l.project_id = c.project_id AND l.name = c.name AND l.version = c.version
                    ORDER BY l.label) AS labels""";

  /** The newest version of name $2. */
  static final String NEWEST = "SELECT " + COLUMNS + """

        FROM model_configs c
       WHERE c.project_id = $1 AND c.name = $2
       ORDER BY c.version DESC
       LIMIT 1""";

  /** Version $3 of name $2. */
  static final String BY_VERSION = "SELECT " + COLUMNS + """

        FROM model_configs c
       WHERE c.project_id = $1 AND c.name = $2 AND c.version = $3""";

  /** The version label $3 of name $2 names. */
  static final String BY_LABEL = "SELECT " + COLUMNS + """

        FROM model_config_labels b
        JOIN model_configs c ON c.project_id = b.project_id AND c.name = b.name AND c.version = b.version
       WHERE b.project_id = $1 AND b.name = $2 AND b.label = $3""";

  /** Every version of name $2, newest first. */
  static final String VERSIONS = "SELECT " + COLUMNS + """

        FROM model_configs c
       WHERE c.project_id = $1 AND c.name = $2
       ORDER BY c.version DESC""";

  /**
   * The newest version of each name of the project, by name. The inner order is the primary key's,
   * read backwards, so DISTINCT ON needs no sort of every version; the labels are looked up after
   * it has kept one row per name (a subquery with DISTINCT ON is not flattened).
   */
  static final String NEWEST_OF_EACH = "SELECT " + COLUMNS + """

        FROM (SELECT DISTINCT ON (name) *
                FROM model_configs
               WHERE project_id = $1
               ORDER BY name DESC, version DESC) c
       ORDER BY c.name""";
}
