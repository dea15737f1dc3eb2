package dev.sextant.telemetry;

import io.vertx.core.Context;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.util.Map;
import java.util.function.BiConsumer;

/** A tracer that runs {@code onClose} (the SDK's flush and shutdown) when Vert.x closes it. */
final class FlushingTracer implements VertxTracer<Object, Object> {

  private final VertxTracer<Object, Object> delegate;
  private final Runnable onClose;

  FlushingTracer(VertxTracer<Object, Object> delegate, Runnable onClose) {
    this.delegate = delegate;
    this.onClose = onClose;
  }

  @Override
  public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
      String operation, Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tagExtractor) {
    return delegate.receiveRequest(context, kind, policy, request, operation, headers, tagExtractor);
  }

  @Override
  public <R> void sendResponse(Context context, R response, Object payload, Throwable failure,
      TagExtractor<R> tagExtractor) {
    delegate.sendResponse(context, response, payload, failure, tagExtractor);
  }

  @Override
  public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
      String operation, BiConsumer<String, String> headers, TagExtractor<R> tagExtractor) {
    return delegate.sendRequest(context, kind, policy, request, operation, headers, tagExtractor);
  }

  @Override
  public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure,
      TagExtractor<R> tagExtractor) {
    delegate.receiveResponse(context, response, payload, failure, tagExtractor);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      onClose.run();
    }
  }
}
