package dev.sextant.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Answers 400 problem+json to a request whose body the HTTP codec cannot decode — a chunk size
 * that is not hex or does not fit, a chunk longer than announced, a missing CRLF — where Vert.x
 * closes the connection without a word.
 *
 * <p>Why a Netty handler: the codec marks the body part it could not decode as failed, and Vert.x
 * 5.0.7 turns that into a channel exception ({@code Http1xServerConnection#onContent} → {@code
 * handleError} → {@code ConnectionBase#fail}), on which {@code VertxHandler#exceptionCaught}
 * closes the channel at once. The request's exception handler is told, but any answer it starts
 * is cut off by that close; no public option changes it, and {@code invalidRequestHandler} only
 * covers a request head that does not decode (see {@link InvalidRequestHandler}). So this handler
 * sits between the codec and Vert.x, one per connection, and on a failed body part:
 *
 * <ol>
 *   <li>writes the 400 itself, with {@code Connection: close}, if nothing of this request's answer
 *       was written yet: at once, or once the answers to the requests pipelined before it are
 *       written; if its answer had begun, it stays out of the way and Vert.x closes the
 *       connection as before;
 *   <li>once the 400 is written, hands Vert.x the failure, as a {@link Problem} 400: Vert.x fails
 *       the request as before (the body is never whole, so nothing is stored; its metrics see a
 *       reset) and closes the connection; the router's answer to the failure, a 400 for the
 *       access log, is dropped here, the client having had its answer.
 * </ol>
 *
 * <p>It reaches the channel through {@code io.vertx.core.http.impl.HttpServerConnection}, the only
 * class of Sextant allowed a Vert.x implementation type (ArchitectureTest names it). Everything
 * runs on the connection's event loop.
 */
public final class MalformedBodyHandler extends ChannelDuplexHandler {

  private static final String NAME = "sextantMalformedBody";
  /** The name Vert.x gives its own handler, the last of an HTTP/1.x server pipeline. */
  private static final String VERTX_HANDLER = "handler";

  /** Requests whose head was decoded, the current one included. */
  private long requests;
  /** Final (non-1xx) answers whose head was written, and those written whole. */
  private long answersStarted;
  private long answersEnded;
  private String requestIdHeader;
  private long headAt;
  /** Set once the current request's body failed to decode. */
  private boolean failed;
  /** Set once this handler answered: whatever Vert.x writes afterwards is dropped. */
  private boolean answered;

  private MalformedBodyHandler() {}

  /**
   * Puts a handler in front of Vert.x on {@code connection}'s pipeline; call it from the server's
   * connection handler, before any request is read. A connection that is not HTTP/1.x is left as
   * it is.
   */
  public static void install(HttpConnection connection) {
    if (!(connection instanceof HttpServerConnection server)) {
      return;
    }
    ChannelPipeline pipeline = server.channelHandlerContext().pipeline();
    if (pipeline.get(VERTX_HANDLER) != null && pipeline.get(NAME) == null) {
      pipeline.addBefore(VERTX_HANDLER, NAME, new MalformedBodyHandler());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      requests++;
      requestIdHeader = request.headers().get("X-Request-ID");
      headAt = System.nanoTime();
    }
    // a head that does not decode comes as a whole failed request (a FullHttpRequest is an
    // HttpContent too): Vert.x answers that one itself (414, 431, 400)
    if (msg instanceof HttpContent content && !(msg instanceof HttpRequest)
        && content.decoderResult().isFailure() && !answered && answersStarted < requests) {
      // nothing of this request's answer is written: it will be the 400, after the answers to
      // the requests pipelined before it if they are still being written
      ReferenceCountUtil.release(content);
      failed = true;
      answerIfDue(ctx);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (answered) {
      // the connection closes on the 400 this handler wrote: an answer after it is not sent
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
      return;
    }
    count(msg);
    ctx.write(msg, promise);
    answerIfDue(ctx);
  }

  private void answerIfDue(ChannelHandlerContext ctx) {
    if (failed && !answered && canAnswer()) {
      answered = true;
      // the failure goes to Vert.x in a task of its own: when this answer waited for a pipelined
      // one, Vert.x hands the router this request only once that write has returned
      ctx.writeAndFlush(badRequest()).addListener(written ->
          ctx.executor().execute(() -> ctx.fireChannelRead(failure())));
    }
  }

  /** Whether a 400 written now would be the answer to the current request, and whole. */
  private boolean canAnswer() {
    return answersStarted == requests - 1 && answersEnded == answersStarted;
  }

  private void count(Object msg) {
    if (msg instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      return; // 100 Continue: the final answer is still to come
    }
    if (msg instanceof HttpResponse) {
      answersStarted++;
    }
    if (msg instanceof LastHttpContent) {
      answersEnded++;
    }
  }

  private FullHttpResponse badRequest() {
    String id = RequestContextHandler.requestIdFor(requestIdHeader);
    ByteBuf body = Unpooled.wrappedBuffer(ProblemHandler.render(problem(), id).getBytes());
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.BAD_REQUEST, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, ProblemHandler.PROBLEM_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set("X-Request-ID", id)
        .set("X-Process-Time", RequestContextHandler.millis(System.nanoTime() - headAt));
    return response;
  }

  /**
   * The failed body part Vert.x gets. vertx-web's BodyHandler fails the request with 400 and the
   * cause of a {@link DecoderException} (with 200 and the exception itself otherwise, which the
   * router logs as unhandled): the Problem makes the router's answer, the one the access log
   * records, the same 400 the client had.
   */
  private static HttpObject failure() {
    LastHttpContent content = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    content.setDecoderResult(DecoderResult.failure(new DecoderException(problem())));
    return content;
  }

  private static Problem problem() {
    return Problem.badRequest("The request body is not valid chunked encoding");
  }
}
