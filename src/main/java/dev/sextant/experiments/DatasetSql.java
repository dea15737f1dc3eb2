package dev.sextant.experiments;

/** SQL of datasets and their items. */
final class DatasetSql {

  private DatasetSql() {}

  private static final String COLUMNS =
      "id, name, description, item_count, created_at, updated_at";

  /** $1 id, $2 project, $3 name, $4 description; 23505 when the project has the name already. */
  static final String INSERT = """
      INSERT INTO datasets (id, project_id, name, description, created_at, updated_at)
      VALUES ($1, $2, $3, $4, now(), now())
      RETURNING\s""" + COLUMNS;

  static final String FIND = "SELECT " + COLUMNS + " FROM datasets WHERE id = $1 AND project_id = $2";

  /** The project's datasets, newest first, after ($2, $3); $4 rows. */
  static final String LIST = "SELECT " + COLUMNS + "\n" + """
       FROM datasets
       WHERE project_id = $1 AND (created_at, id) < ($2, $3)
       ORDER BY created_at DESC, id DESC
       LIMIT $4""";

  /**
   * Upserts items ($3 ids, $4 inputs, $5 expected outputs, $6 metadata, JSON text; ids distinct)
   * into dataset $1 of project $2 and counts the new ones into the dataset's item_count, in one
   * statement. A field sent as null keeps its stored value. No row comes back when the project has
   * no such dataset. Rows are written in id order, so that two imports into one dataset lock the
   * rows they share in the same order.
   */
  static final String UPSERT_ITEMS = """
      WITH dataset AS (
        SELECT id FROM datasets WHERE id = $1 AND project_id = $2
      ), upserted AS (
        INSERT INTO dataset_items AS i (dataset_id, id, input, expected_output, metadata,
                                        created_at, updated_at)
        SELECT d.id, u.id, u.input::jsonb, u.expected::jsonb, u.metadata::jsonb, now(), now()
          FROM dataset d, unnest($3::text[], $4::text[], $5::text[], $6::text[])
               AS u(id, input, expected, metadata)
         ORDER BY u.id
        ON CONFLICT (dataset_id, id) DO UPDATE SET
          input           = EXCLUDED.input,
          expected_output = COALESCE(EXCLUDED.expected_output, i.expected_output),
          metadata        = COALESCE(EXCLUDED.metadata, i.metadata),
          updated_at      = now()
        RETURNING (xmax = 0) AS inserted
      )
      UPDATE datasets
         SET item_count = item_count + (SELECT count(*) FROM upserted WHERE inserted),
             updated_at = now()
       WHERE id = (SELECT id FROM dataset)
      RETURNING item_count""";

  /**
   * The dataset $1 of project $2 (one row, or none when the project has no such dataset) with a
   * page of its items, oldest first, after ($3, $4), $5 of them: an empty dataset's row carries
   * null item columns.
   */
  static final String LIST_ITEMS = """
      SELECT i.id, i.input, i.expected_output, i.metadata, i.created_at, i.updated_at
        FROM datasets d
        LEFT JOIN LATERAL (
          SELECT * FROM dataset_items
           WHERE dataset_id = d.id AND (created_at, id) > ($3, $4)
           ORDER BY created_at, id
           LIMIT $5
        ) i ON true
       WHERE d.id = $1 AND d.project_id = $2""";
}
