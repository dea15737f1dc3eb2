package dev.sextant.auth;

import dev.sextant.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * API keys of a project: created with a plaintext shown exactly once, listed without secrets,
 * revoked for good. Callers check that the person may manage the project.
 */
public final class ApiKeyService {

  /** Characters of a key kept in clear, enough to tell keys apart in a list. */
  private static final int PREFIX_LENGTH = 8;

  private final Pool pool;
  private final CredentialCache cache;

  public ApiKeyService(Pool pool, CredentialCache cache) {
    this.pool = pool;
    this.cache = cache;
  }

  /** Creates a key; the answer holds its plaintext, which is never shown again. */
  public Future<ApiKey.Created> create(UUID projectId, String name) {
    String key = Tokens.newApiKey();
    Tuple params = Tuple.of(Ids.newUuid(), projectId, name, Buffer.buffer(Tokens.hash(key)),
        key.substring(0, PREFIX_LENGTH));
    return pool.preparedQuery(AuthSql.INSERT_API_KEY)
        .execute(params)
        .map(rows -> new ApiKey.Created(apiKey(rows.iterator().next()), key));
  }

  /** The project's live keys, oldest first. */
  public Future<List<ApiKey>> list(UUID projectId) {
    return pool.preparedQuery(AuthSql.API_KEYS_OF_PROJECT)
        .execute(Tuple.of(projectId))
        .map(rows -> {
          List<ApiKey> keys = new ArrayList<>(rows.size());
          rows.forEach(row -> keys.add(apiKey(row)));
          return keys;
        });
  }

  /**
   * Revokes the key; false when the project has no such live key. It stops working on this
   * instance at once, on the others of a cluster as soon as the eviction reaches them, and in any
   * case within the near-cache lifetime.
   */
  public Future<Boolean> revoke(UUID projectId, UUID keyId) {
    return pool.preparedQuery(AuthSql.REVOKE_API_KEY)
        .execute(Tuple.of(projectId, keyId))
        .map(rows -> {
          rows.forEach(row -> cache.invalidate(Authenticator.API_KEYS, row.getBuffer("key_hash").getBytes()));
          return rows.rowCount() > 0;
        });
  }

  Future<Principal.Project> resolve(byte[] keyHash) {
    return pool.preparedQuery(AuthSql.PROJECT_BY_API_KEY)
        .execute(Tuple.of(Buffer.buffer(keyHash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Principal.Project(row.getUUID("project_id"), row.getUUID("id"));
        });
  }

  private static ApiKey apiKey(Row row) {
    return new ApiKey(row.getUUID("id"), row.getString("name"), row.getString("key_prefix"),
        row.getOffsetDateTime("created_at"));
  }
}
