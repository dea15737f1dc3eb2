package dev.sextant.jobs;

import dev.sextant.common.Cursors;
import dev.sextant.common.Ids;
import dev.sextant.common.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The durable job queue in PostgreSQL, shared by every instance: enqueue (waking the workers with
 * {@code NOTIFY sextant_jobs} in the same transaction), claim with a lease, complete, fail with a
 * retry or to dead, and the admin's retry. Rows are mapped into {@link Job} here, once.
 */
public final class JobQueue {

  /** Notification channel on which an enqueue wakes the workers of every instance. */
  public static final String CHANNEL = "sextant_jobs";

  private static final OffsetDateTime FAR_FUTURE = OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  /** Due times older than this before a kind's latest are forgotten. */
  private static final Duration SCHEDULED_RUNS_KEPT = Duration.ofDays(1);
  private static final UUID LAST_UUID = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");

  /** What an admin retry found. */
  public enum RetryOutcome { QUEUED, NOT_FOUND, NOT_RETRYABLE }

  private final Pool pool;
  private final int defaultMaxAttempts;

  public JobQueue(Pool pool, int defaultMaxAttempts) {
    this.pool = pool;
    this.defaultMaxAttempts = defaultMaxAttempts;
  }

  /** Queues a job due now with the configured attempts. */
  public Future<UUID> enqueue(String kind, JsonObject payload) {
    return enqueue(kind, payload, null, 0, defaultMaxAttempts);
  }

  /**
   * Queues a job, due after {@code delayMs}. With a {@code dedupKey}, nothing is queued while a
   * live (queued, running or failed) job has that key: the answer is then null.
   */
  public Future<UUID> enqueue(String kind, JsonObject payload, String dedupKey, long delayMs,
      int maxAttempts) {
    UUID id = Ids.newUuid();
    return pool.withTransaction(conn -> conn.preparedQuery(JobSql.ENQUEUE)
        .execute(Tuple.of(id, kind, payload, maxAttempts, delayMs, dedupKey))
        .compose(rows -> rows.rowCount() == 0
            ? Future.succeededFuture((UUID) null)
            : conn.preparedQuery(JobSql.NOTIFY).execute(Tuple.of(kind)).map(id)));
  }

  /** What queueing one due time of a schedule came to. */
  public enum ScheduledOutcome {
    /** This caller recorded the due time and queued its job. */
    QUEUED,
    /** This caller recorded the due time, but a job of the kind was still waiting: it covers it. */
    COVERED,
    /** The due time, or a later one, was recorded already (by this or another instance). */
    TAKEN
  }

  /**
   * Queues the run of scheduled {@code kind} due at {@code dueAt}, once across every instance: the
   * due time is recorded in {@code job_schedule_runs} and the job queued in the same transaction,
   * so of concurrent callers exactly one queues it. The job carries {@code {"due_at": …}} and the
   * dedup key {@code schedule:<kind>}, so no second one is queued while one still waits.
   */
  public Future<ScheduledOutcome> enqueueScheduled(String kind, Instant dueAt) {
    OffsetDateTime due = dueAt.atOffset(ZoneOffset.UTC);
    UUID id = Ids.newUuid();
    JsonObject payload = new JsonObject().put("due_at", due.toString());
    return pool.withTransaction(conn -> conn.preparedQuery(JobSql.RECORD_SCHEDULED_RUN)
        .execute(Tuple.of(kind, due))
        .compose(recorded -> {
          if (recorded.rowCount() == 0) {
            return Future.succeededFuture(ScheduledOutcome.TAKEN);
          }
          return conn.preparedQuery(JobSql.PRUNE_SCHEDULED_RUNS)
              .execute(Tuple.of(kind, due.minus(SCHEDULED_RUNS_KEPT)))
              .compose(pruned -> conn.preparedQuery(JobSql.ENQUEUE).execute(Tuple.of(id, kind,
                  payload, defaultMaxAttempts, 0L, "schedule:" + kind)))
              .compose(queued -> queued.rowCount() == 0
                  ? Future.succeededFuture(ScheduledOutcome.COVERED)
                  : conn.preparedQuery(JobSql.NOTIFY).execute(Tuple.of(kind))
                      .map(ScheduledOutcome.QUEUED));
        }));
  }

  /** Queues many jobs of one kind, due now, in one statement and one notification. */
  public Future<List<UUID>> enqueueAll(String kind, List<JsonObject> payloads) {
    return pool.withTransaction(conn -> enqueueAll(conn, kind, payloads));
  }

  /**
   * Queues many jobs of one kind, due now, inside the caller's transaction on {@code conn}: they
   * exist, and wake the workers, only when it commits, so work acknowledged together with them is
   * never left without its jobs.
   */
  public Future<List<UUID>> enqueueAll(SqlClient conn, String kind, List<JsonObject> payloads) {
    UUID[] ids = new UUID[payloads.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Ids.newUuid();
    }
    Tuple params = Tuple.of(ids, kind, payloads.toArray(new JsonObject[0]), defaultMaxAttempts);
    return conn.preparedQuery(JobSql.ENQUEUE_MANY).execute(params)
        .compose(rows -> conn.preparedQuery(JobSql.NOTIFY).execute(Tuple.of(kind)))
        .map(v -> List.of(ids));
  }

  /**
   * Claims up to {@code max} due jobs of {@code kind} for {@code leaseSeconds}: each comes back
   * running, its attempts counted. Concurrent claimers never get the same job while its lease runs.
   */
  public Future<List<Job>> claim(String kind, int max, int leaseSeconds) {
    return completeAndClaim(List.of(), kind, max, leaseSeconds);
  }

  /**
   * Marks the {@code done} attempts done (as {@link #complete}) and claims up to {@code max} due
   * jobs of {@code kind} (as {@link #claim}) in one statement: a worker's completions ride along
   * with its next claim. The commit does not wait for the disk (see {@code JobSql.ASYNC_COMMIT}):
   * a crash of PostgreSQL may make these jobs run again, as at-least-once delivery allows.
   */
  public Future<List<Job>> completeAndClaim(List<Job> done, String kind, int max, int leaseSeconds) {
    Tuple params = Tuple.of(kind, max, leaseSeconds);
    Tuple keys = attemptKeys(done);
    params.addValue(keys.getValue(0)).addValue(keys.getValue(1));
    return pool.preparedQuery(JobSql.CLAIM).execute(params).map(JobQueue::jobs);
  }

  /** Marks these attempts done; an attempt that lost its claim (lease expired) is left alone. */
  public Future<Void> complete(List<Job> attempts) {
    if (attempts.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(JobSql.COMPLETE).execute(attemptKeys(attempts)).mapEmpty();
  }

  /**
   * Extends the leases of these running attempts to {@code leaseSeconds} from now, in one
   * statement; an attempt that lost its claim is left alone. The answer is how many were renewed.
   */
  public Future<Integer> renew(List<Job> attempts, int leaseSeconds) {
    if (attempts.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery(JobSql.RENEW).execute(attemptKeys(attempts).addInteger(leaseSeconds))
        .map(rows -> rows.rowCount());
  }

  /** The ids and the attempt numbers, as two arrays. */
  private static Tuple attemptKeys(List<Job> attempts) {
    UUID[] ids = new UUID[attempts.size()];
    Integer[] numbers = new Integer[attempts.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = attempts.get(i).id();
      numbers[i] = attempts.get(i).attempts();
    }
    return Tuple.of(ids, (Object) numbers);
  }

  /**
   * Records a failed attempt: the job is retried after {@code retryAfterMs}, or dead when it has
   * no attempt left. The answer is the new status, or null when the attempt had lost its claim.
   */
  public Future<String> fail(Job attempt, String error, long retryAfterMs) {
    return pool.preparedQuery(JobSql.FAIL)
        .execute(Tuple.of(attempt.id(), attempt.attempts(), retryAfterMs, error))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** What an admin retry came to: the job as queued again, or why not. */
  public record Retried(RetryOutcome outcome, Job job) {}

  /**
   * Queues a failed or dead job again with fresh attempts, and wakes the workers. The job in the
   * answer is as the retry left it (queued), whatever a worker does with it right after.
   */
  public Future<Retried> retry(UUID id) {
    return pool.withTransaction(conn -> conn.preparedQuery(JobSql.RETRY).execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() > 0) {
            Job job = job(rows.iterator().next());
            return conn.preparedQuery(JobSql.NOTIFY).execute(Tuple.of(job.kind()))
                .map(new Retried(RetryOutcome.QUEUED, job));
          }
          return conn.preparedQuery(JobSql.FIND).execute(Tuple.of(id))
              .map(found -> new Retried(found.size() == 0
                  ? RetryOutcome.NOT_FOUND : RetryOutcome.NOT_RETRYABLE, null));
        }));
  }

  /** The job, or null. */
  public Future<Job> find(UUID id) {
    return pool.preparedQuery(JobSql.FIND).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : job(rows.iterator().next()));
  }

  /** One page of the jobs in {@code status}, newest first. */
  public Future<Page<Job>> list(String status, Cursors.Position after, int limit) {
    OffsetDateTime time = after == null ? FAR_FUTURE : after.time();
    UUID id = after == null ? LAST_UUID : Ids.parseUuid(after.id());
    if (id == null) {
      return Future.failedFuture(new IllegalArgumentException("the cursor's id is not a job id"));
    }
    return pool.preparedQuery(JobSql.LIST)
        .execute(Tuple.of(status, time, id, Page.fetchSize(limit)))
        .map(rows -> Page.of(jobs(rows), limit, Job::position));
  }

  /** Per kind, the figures of the gauges. */
  Future<List<KindCounts>> counts() {
    return pool.query(JobSql.GAUGES).execute().map(rows -> {
      List<KindCounts> counts = new ArrayList<>();
      for (Row row : rows) {
        counts.add(new KindCounts(row.getString("kind"), row.getLong("queued"),
            row.getLong("running"), row.getLong("dead"),
            row.getNumeric("oldest_age").doubleValue()));
      }
      return counts;
    });
  }

  /** The gauges' figures of one kind. */
  record KindCounts(String kind, long queued, long running, long dead, double oldestAgeSeconds) {}

  private static List<Job> jobs(RowSet<Row> rows) {
    List<Job> jobs = new ArrayList<>(rows.size());
    for (Row row : rows) {
      jobs.add(job(row));
    }
    return jobs;
  }

  private static Job job(Row row) {
    Object payload = row.getValue("payload");
    return new Job(
        row.getUUID("id"),
        row.getString("kind"),
        payload instanceof JsonObject json ? json : new JsonObject(),
        row.getString("status"),
        row.getInteger("attempts"),
        row.getInteger("max_attempts"),
        row.getOffsetDateTime("run_at"),
        row.getOffsetDateTime("lease_until"),
        row.getString("last_error"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"),
        row.getOffsetDateTime("finished_at"),
        row.getString("dedup_key"));
  }
}
