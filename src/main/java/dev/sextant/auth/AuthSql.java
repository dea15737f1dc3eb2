package dev.sextant.auth;

/** SQL of users, sessions and API keys. */
final class AuthSql {

  private AuthSql() {}

  static final String INSERT_USER = """
      INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
      RETURNING id, email, name, created_at""";

  static final String USER_BY_EMAIL = """
      SELECT id, email, name, created_at, password_hash FROM users WHERE lower(email) = lower($1)""";

  static final String INSERT_SESSION = """
      INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)""";

  static final String USER_BY_SESSION = """
      SELECT u.id, u.email, u.name, u.created_at
        FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > now()""";

  static final String DELETE_SESSION = "DELETE FROM sessions WHERE token_hash = $1";

  static final String INSERT_API_KEY = """
      INSERT INTO api_keys (id, project_id, name, key_hash, key_prefix) VALUES ($1, $2, $3, $4, $5)
      RETURNING id, name, key_prefix, created_at""";

  static final String API_KEYS_OF_PROJECT = """
      SELECT id, name, key_prefix, created_at FROM api_keys
       WHERE project_id = $1 AND revoked_at IS NULL
       ORDER BY created_at, id""";

  static final String REVOKE_API_KEY = """
      UPDATE api_keys SET revoked_at = now()
       WHERE project_id = $1 AND id = $2 AND revoked_at IS NULL
      RETURNING key_hash""";

  static final String PROJECT_BY_API_KEY = """
      SELECT id, project_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL""";
}
