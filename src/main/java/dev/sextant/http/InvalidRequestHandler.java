package dev.sextant.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request the HTTP codec could not parse — a request line over the server's limit (414),
 * headers over theirs (431), anything else malformed (400) — with a problem and the headers every
 * answer carries, where Vert.x's default handler sends the bare status. Such a request never
 * reaches the router. As with the default, the connection is closed after the answer: the codec
 * cannot tell where the next request would start.
 */
public final class InvalidRequestHandler implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    long started = System.nanoTime();
    Problem problem = toProblem(request.decoderResult().cause());
    String id = RequestContextHandler.requestIdFor(request.getHeader("X-Request-ID"));
    request.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", ProblemHandler.PROBLEM_JSON)
        .putHeader("X-Request-ID", id)
        .putHeader("X-Process-Time", RequestContextHandler.millis(System.nanoTime() - started))
        .end(ProblemHandler.render(problem, id))
        .onComplete(sent -> request.connection().close());
  }

  private static Problem toProblem(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Problem.of(414, "The request line is too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Problem.of(431, "The request headers are too large");
    }
    return Problem.badRequest("The request is not valid HTTP/1.1");
  }
}
