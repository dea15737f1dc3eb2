package dev.sextant.auth;

import dev.sextant.db.SqlStates;
import dev.sextant.http.Problem;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Users and their sessions. */
final class UserRepository {

  /** A user row with its password hash: never leaves the auth package. */
  record StoredUser(Principal.User user, String passwordHash) {}

  private final Pool pool;

  UserRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Principal.User> insert(UUID id, String email, String name, String passwordHash) {
    return pool.preparedQuery(AuthSql.INSERT_USER)
        .execute(Tuple.of(id, email, name, passwordHash))
        .map(rows -> toUser(rows.iterator().next()))
        .recover(e -> SqlStates.isUniqueViolation(e)
            ? Future.failedFuture(Problem.conflict("An account with this email already exists"))
            : Future.failedFuture(e));
  }

  Future<StoredUser> findByEmail(String email) {
    return pool.preparedQuery(AuthSql.USER_BY_EMAIL)
        .execute(Tuple.of(email))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new StoredUser(toUser(row), row.getString("password_hash"));
        });
  }

  Future<Void> insertSession(byte[] tokenHash, UUID userId, OffsetDateTime expiresAt) {
    return pool.preparedQuery(AuthSql.INSERT_SESSION)
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), userId, expiresAt))
        .mapEmpty();
  }

  Future<Principal.User> findBySession(byte[] tokenHash) {
    return pool.preparedQuery(AuthSql.USER_BY_SESSION)
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? null : toUser(rows.iterator().next()));
  }

  Future<Void> deleteSession(byte[] tokenHash) {
    return pool.preparedQuery(AuthSql.DELETE_SESSION)
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash)))
        .mapEmpty();
  }

  private static Principal.User toUser(Row row) {
    return new Principal.User(row.getUUID("id"), row.getString("email"), row.getString("name"),
        row.getOffsetDateTime("created_at"));
  }
}
