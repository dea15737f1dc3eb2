package dev.sextant.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Set;

/**
 * Never samples the server spans of OTLP ingest, the Prometheus scrape and the health probes;
 * asks {@code delegate} about everything else. Ingest is left out so that an instance exporting
 * to itself, or two exporting to each other, do not trace their exports forever (each export
 * making a span that the next export carries); scrapes and probes are machine chatter that
 * would drown the requests worth reading.
 */
final class OwnTrafficSampler implements Sampler {

  /** Vert.x sets it on a server span before the span starts, so a sampler sees it. */
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final Set<String> UNTRACED_PATHS =
      Set.of("/v1/traces", "/metrics", "/health/live", "/health/ready");

  private final Sampler delegate;

  OwnTrafficSampler(Sampler delegate) {
    this.delegate = delegate;
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name,
      SpanKind spanKind, Attributes attributes, List<LinkData> parentLinks) {
    String path = spanKind == SpanKind.SERVER ? attributes.get(URL_PATH) : null;
    // event-bus consumers make server spans too, without a path (and Set.of refuses null)
    if (path != null && UNTRACED_PATHS.contains(path)) {
      return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "OwnTrafficSampler{" + delegate.getDescription() + "}";
  }
}
