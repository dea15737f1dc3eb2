package dev.sextant.db;

import io.vertx.pgclient.PgException;

/** The PostgreSQL error codes this server acts on. */
public final class SqlStates {

  /** A unique or primary key already holds the value: a domain outcome (409, or a retry), not a bug. */
  public static final String UNIQUE_VIOLATION = "23505";

  private SqlStates() {}

  public static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  /** A unique violation of the constraint (or primary key) named {@code constraint}. */
  public static boolean isUniqueViolation(Throwable failure, String constraint) {
    return isUniqueViolation(failure) && constraint.equals(((PgException) failure).getConstraint());
  }
}
