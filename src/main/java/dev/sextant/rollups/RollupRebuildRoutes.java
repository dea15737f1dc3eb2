package dev.sextant.rollups;

import dev.sextant.common.Ids;
import dev.sextant.http.AdminToken;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.Problem;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import dev.sextant.tracemodel.RollupMarks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code POST /api/v1/admin/projects/{id}/rollups/rebuild} (admin): rebuilds a project's roll-ups
 * from its raw rows, after a restore or for rows loaded without the API. It marks every minute
 * holding a trace or span of the project, or a minute roll-up row of it (so that rows of minutes
 * emptied meanwhile go too), as a write would, and the roll-up job folds them in: the rebuild is
 * the ordinary, idempotent fold, just of every minute. With no admin token nothing is mounted.
 */
public final class RollupRebuildRoutes implements Routes {

  /** The project's minutes marked, under the marks' shared lock, as writers mark theirs. */
  static final String MARK_PROJECT = RollupMarks.statement("""
      SELECT sort_time FROM traces WHERE project_id = $1
      UNION ALL SELECT start_time FROM spans WHERE project_id = $1
      UNION ALL SELECT bucket FROM rollup_traces WHERE project_id = $1 AND bucket_seconds = 60
      UNION ALL SELECT bucket FROM rollup_models WHERE project_id = $1 AND bucket_seconds = 60""");
  static final String PROJECT_EXISTS = "SELECT 1 FROM projects WHERE id = $1";
  private static final String NO_PROJECT = "No such project";

  private final String adminToken;
  private final Pool pool;
  private final Consumer<UUID> afterMark;

  /** {@code afterMark} is told the project once its minutes are marked (queues a roll-up pass). */
  public RollupRebuildRoutes(String adminToken, Pool pool, Consumer<UUID> afterMark) {
    this.adminToken = adminToken;
    this.pool = pool;
    this.afterMark = afterMark;
  }

  @Override
  public void mount(Router router) {
    if (adminToken == null) {
      return;
    }
    router.post("/api/v1/admin/projects/:id/rollups/rebuild").handler(AdminToken.require(adminToken))
        .handler(AsyncHandler.of(this::rebuild));
  }

  private Future<?> rebuild(RoutingContext ctx) {
    UUID project = Ids.parseUuid(ctx.pathParam("id"));
    if (project == null) {
      throw Problem.notFound(NO_PROJECT);
    }
    return pool.withTransaction(conn -> conn.preparedQuery(PROJECT_EXISTS).execute(Tuple.of(project))
        .compose(found -> {
          if (found.size() == 0) {
            throw Problem.notFound(NO_PROJECT);
          }
          return conn.preparedQuery(MARK_PROJECT).execute(Tuple.of(project))
              .map(marked -> marked.rowCount());
        }))
        .compose(marked -> {
          afterMark.accept(project);
          return Responses.json(ctx, 202, new JsonObject().put("project_id", project.toString())
              .put("minutes_marked", marked));
        });
  }
}
