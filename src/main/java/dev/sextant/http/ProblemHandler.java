package dev.sextant.http;

import dev.sextant.db.DatabaseFaults;
import dev.sextant.validation.InvalidInputException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure — a {@link Problem}, a router status such as 404 or 405, a body-limit 413, or
 * an unexpected exception — into {@code application/problem+json}. Unexpected failures are logged
 * with the request id and answered without any internals. One instance serves one status: see
 * {@link #forStatus}.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
  /** SQLSTATE of a statement cancelled by {@code statement_timeout}. */
  private static final String QUERY_CANCELED = "57014";
  static final String PROBLEM_JSON = "application/problem+json";
  /** Every 503 says when to come back: OTLP exporters and load balancers retry on it. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private final int routedStatus;
  private final AllowedMethods allowed;

  private ProblemHandler(int routedStatus, AllowedMethods allowed) {
    this.routedStatus = routedStatus;
    this.allowed = allowed;
  }

  /**
   * Answers every error status of {@code router} with problem+json; call it once every route is
   * mounted (a 405 names the methods the routes of its path take).
   */
  public static void registerOn(Router router) {
    // a failure handler runs before the error handlers, and may route the request again
    router.route().failureHandler(new ReadRetryHandler());
    AllowedMethods allowed = new AllowedMethods(router);
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, forStatus(status, allowed));
    }
  }

  /**
   * The error handler to register for {@code status}. The router does not always record the
   * status it calls an error handler for: a path whose percent-encoding does not decode makes
   * route matching throw, and the router then calls the 400 handler with neither a failure nor a
   * status code in the context. The handler has to know which one it was registered for.
   */
  static ProblemHandler forStatus(int status, AllowedMethods allowed) {
    return new ProblemHandler(status, allowed);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      // nobody to answer: its client went away (and a read of it was cancelled, see ClientGone)
      return;
    }
    if (response.headWritten()) {
      // a streamed answer failed half-way: the client must not take it for a whole one
      ctx.request().connection().close();
      return;
    }
    if (RequestContextHandler.requestId(ctx) == null) {
      RequestContextHandler.stamp(ctx);
    }
    Problem problem = toProblem(ctx);
    problem.headers().forEach(response::putHeader);
    if (problem.status() == 503 && !response.headers().contains("Retry-After")) {
      response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (problem.status() == 405) {
      response.putHeader("Allow", allowed.forPath(ctx.normalizedPath()));
    }
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", PROBLEM_JSON)
        .end(render(problem, RequestContextHandler.requestId(ctx)));
  }

  /** The problem+json body of {@code problem}, answered to the request {@code requestId}. */
  static Buffer render(Problem problem, String requestId) {
    JsonArray errors = new JsonArray();
    problem.errors().forEach(e ->
        errors.add(new JsonObject().put("field", e.field()).put("message", e.message())));
    return new JsonObject()
        .put("type", problem.type())
        .put("title", title(problem.status()))
        .put("status", problem.status())
        .put("detail", problem.detail())
        .put("request_id", requestId)
        .put("errors", errors)
        .toBuffer();
  }

  private Problem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Problem problem) {
      return problem;
    }
    if (failure instanceof InvalidInputException invalid) {
      return Problem.validation(invalid.errors());
    }
    if (failure instanceof HttpException http && http.getStatusCode() < 500) {
      return Problem.of(http.getStatusCode(), detailFor(http.getStatusCode(), http.getPayload()));
    }
    if (failure instanceof DecodeException) {
      return Problem.badRequest("The request body is not valid JSON");
    }
    if (DatabaseFaults.isUnavailable(failure)) {
      log.warn("request {} answered 503, the database is unavailable: {}",
          RequestContextHandler.requestId(ctx), failure.getMessage());
      return new Problem(503, "urn:sextant:problem:database-unavailable",
          "The database is unavailable for a moment; retry shortly", java.util.List.of(),
          java.util.Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
    if (isOverload(failure)) {
      log.warn("request {} shed: {}", RequestContextHandler.requestId(ctx), failure.getMessage());
      return new Problem(503, "urn:sextant:problem:overloaded",
          "The server is at capacity; retry shortly", java.util.List.of(),
          java.util.Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
    int status = failure instanceof HttpException http ? http.getStatusCode()
        : ctx.statusCode() != -1 ? ctx.statusCode() : routedStatus;
    if (status >= 400 && status < 500) {
      return Problem.of(status, detailFor(status, null));
    }
    if (status == 503) {
      return Problem.of(503, "The service is temporarily unavailable");
    }
    log.error("request {} failed: {} {}", RequestContextHandler.requestId(ctx),
        ctx.request().method(), ctx.request().path(), failure);
    return Problem.of(500, "An unexpected error occurred; quote the request id when reporting it");
  }

  /**
   * The database pool refused to queue more work, a wait timed out, or a statement ran past
   * {@code database.statement_timeout_ms}: the request is shed with 503 rather than queued. (A
   * database that cannot be reached is {@link DatabaseFaults}' to tell.)
   */
  static boolean isOverload(Throwable failure) {
    return failure instanceof ConnectionPoolTooBusyException
        || failure instanceof PgException pg && QUERY_CANCELED.equals(pg.getSqlState())
        || failure instanceof java.util.concurrent.TimeoutException
        // how the pools report a wait that timed out (the PostgreSQL pool sets none, see
        // Database): a bare Throwable or a VertxException whose message names the timeout
        || isTimeout(failure);
  }

  private static boolean isTimeout(Throwable failure) {
    return failure != null && failure.getMessage() != null
        && failure.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout");
  }

  private static String detailFor(int status, String payload) {
    if (payload != null && !payload.isBlank()) {
      return payload;
    }
    return switch (status) {
      case 400 -> "The request is malformed";
      case 404 -> "No such resource";
      case 405 -> "This method is not allowed on this resource";
      case 413 -> "The request body is too large";
      case 415 -> "Unsupported content type";
      default -> title(status);
    };
  }

  private static String title(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }
}
