package dev.sextant.telemetry;

import dev.sextant.config.SextantConfig.TelemetryConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.VertxBuilder;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sextant tracing itself with OpenTelemetry ({@code telemetry.*}): an SDK whose spans leave in
 * batches over OTLP/HTTP, sampled parent-based by ratio, installed as the tracer of a Vert.x
 * instance. Vert.x then makes a server span of every HTTP request (a caller's W3C
 * {@code traceparent} its parent) and client spans of the PostgreSQL and Redis calls made inside
 * one; {@link TraceRouteHandler} names the server span by its route.
 *
 * <p>With no endpoint configured nothing is installed: Vert.x runs without a tracer, as before.
 * The SDK lives as long as the Vert.x instance: closing Vert.x flushes the spans still queued.
 */
public final class SelfTracing {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  /** Longest a close waits for the last spans to leave. */
  private static final long FLUSH_SECONDS = 5;

  private final TelemetryConfig config;

  private SelfTracing(TelemetryConfig config) {
    this.config = config;
  }

  public static SelfTracing of(TelemetryConfig config) {
    return new SelfTracing(config);
  }

  /**
   * {@code builder} with a tracer exporting to the configured endpoint, or {@code builder} as it
   * is when tracing is off. The SDK is created only here, when Vert.x asks for its tracer.
   */
  public VertxBuilder install(VertxBuilder builder) {
    return config.enabled() ? builder.withTracer(new FlushingTracerFactory(config)) : builder;
  }

  /** The SDK of {@code config}: not registered globally, so each Vert.x instance has its own. */
  static OpenTelemetrySdk sdk(TelemetryConfig config) {
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.otlpEndpoint());
    config.otlpHeaders().forEach(exporter::addHeader);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(
            Resource.create(Attributes.of(SERVICE_NAME, config.serviceName()))))
        .setSampler(new OwnTrafficSampler(
            Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio()))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
            .setScheduleDelay(Duration.ofMillis(config.exportDelayMs()))
            .build())
        .build();
    return OpenTelemetrySdk.builder()
        .setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /**
   * Vert.x's OpenTelemetry tracer over an SDK of its own, which Vert.x closes with itself (a
   * tracer's {@code close} is called when its Vert.x instance closes).
   */
  private static final class FlushingTracerFactory implements VertxTracerFactory {

    private final TelemetryConfig config;

    FlushingTracerFactory(TelemetryConfig config) {
      this.config = config;
    }

    @Override
    public VertxTracer<?, ?> tracer(TracingOptions options) {
      OpenTelemetrySdk sdk = sdk(config);
      @SuppressWarnings("unchecked")
      VertxTracer<Object, Object> tracer =
          (VertxTracer<Object, Object>) new OpenTelemetryTracingFactory(sdk).tracer(options);
      return new FlushingTracer(tracer, () -> sdk.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS));
    }

    @Override
    public TracingOptions newOptions() {
      return new OpenTelemetryTracingFactory().newOptions();
    }
  }
}
