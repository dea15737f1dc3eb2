package dev.sextant.traces;

import dev.sextant.auth.Authenticator;
import dev.sextant.common.Cursors;
import dev.sextant.common.Ids;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.Problem;
import dev.sextant.http.QueryParams;
import dev.sextant.http.Responses;
import dev.sextant.http.Validator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Reading and deleting traces (API.md section 5); every read is scoped to the key's project. */
public final class TraceRoutes {

  private static final Set<String> GROUPS = Set.of("none", "name", "model", "user_id", "release");
  private static final OffsetDateTime BEGINNING = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final String NO_TRACE = "No such trace";

  private final TraceRepository traces;

  private TraceRoutes(TraceRepository traces) {
    this.traces = traces;
  }

  public static void mount(Router router, Pool pool, Authenticator auth) {
    TraceRoutes routes = new TraceRoutes(new TraceRepository(pool));
    router.get("/api/v1/traces").handler(auth.requireApiKey()).handler(AsyncHandler.of(routes::listTraces));
    // before /:id, which would otherwise take "stats" for a trace id
    router.get("/api/v1/traces/stats").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(routes::getStats));
    router.get("/api/v1/traces/:id").handler(auth.requireApiKey()).handler(AsyncHandler.of(routes::getTrace));
    router.delete("/api/v1/traces/:id").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(routes::deleteTrace));
  }

  private Future<?> listTraces(RoutingContext ctx) {
    TraceFilter filter = new TraceFilter(
        QueryParams.timestamp(ctx, "from"),
        QueryParams.timestamp(ctx, "to"),
        QueryParams.string(ctx, "name", Validator.MAX_NAME),
        QueryParams.string(ctx, "user_id", Validator.MAX_NAME),
        QueryParams.string(ctx, "session_id", Validator.MAX_NAME),
        QueryParams.string(ctx, "release", Validator.MAX_NAME),
        QueryParams.all(ctx, "tag", 50, 200),
        QueryParams.oneOf(ctx, "status", Set.of("ok", "error"), null),
        QueryParams.cursor(ctx),
        QueryParams.limit(ctx));
    return traces.list(projectId(ctx), filter).compose(rows -> {
      List<Row> list = new ArrayList<>(rows.size());
      rows.forEach(list::add);
      boolean more = list.size() > filter.limit();
      JsonArray data = new JsonArray();
      list.stream().limit(filter.limit()).forEach(row -> data.add(TraceJson.summary(row)));
      String next = null;
      if (more) {
        Row last = list.get(filter.limit() - 1);
        next = Cursors.encode(last.getOffsetDateTime("sort_time"), last.getString("id"));
      }
      return Responses.page(ctx, data, next);
    });
  }

  private Future<?> getTrace(RoutingContext ctx) {
    String id = traceId(ctx);
    return traces.find(projectId(ctx), id).compose(trace -> trace == null
        ? Future.failedFuture(Problem.notFound(NO_TRACE))
        : Responses.json(ctx, 200, trace));
  }

  private Future<?> deleteTrace(RoutingContext ctx) {
    return traces.delete(projectId(ctx), traceId(ctx)).compose(deleted -> deleted
        ? Responses.noContent(ctx)
        : Future.failedFuture(Problem.notFound(NO_TRACE)));
  }

  private Future<?> getStats(RoutingContext ctx) {
    String groupBy = QueryParams.oneOf(ctx, "group_by", GROUPS, "none");
    OffsetDateTime from = QueryParams.timestamp(ctx, "from");
    OffsetDateTime to = QueryParams.timestamp(ctx, "to");
    return traces.stats(projectId(ctx), groupBy,
            from == null ? BEGINNING : from,
            to == null ? OffsetDateTime.now(ZoneOffset.UTC).plusYears(100) : to)
        .compose(data -> Responses.json(ctx, 200, new JsonObject().put("data", data)));
  }

  /** A trace id from the path; one that cannot exist is simply not found. */
  private static String traceId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValidClientId(id)) {
      throw Problem.notFound(NO_TRACE);
    }
    return id;
  }

  private static UUID projectId(RoutingContext ctx) {
    return Authenticator.project(ctx).projectId();
  }
}
