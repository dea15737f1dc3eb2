// Sends one trace to Sextant over OTLP/HTTP with the OpenTelemetry SDK: an agent span with an LLM
// call inside it, described with the GenAI semantic conventions, which Sextant maps to its span
// fields (model, tokens, kind). Run against a server:
//
//   SEXTANT_URL=http://127.0.0.1:8080 SEXTANT_API_KEY=sxk_... npm start
//
// It prints the trace id, which GET /api/v1/traces/{id} reads back.
import { trace, SpanStatusCode } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

const base = process.env.SEXTANT_URL ?? 'http://127.0.0.1:8080';
const key = process.env.SEXTANT_API_KEY;
if (!key) {
  console.error('set SEXTANT_API_KEY to a project API key (sxk_...)');
  process.exit(2);
}

const exporter = new OTLPTraceExporter({
  url: `${base}/v1/traces`,
  headers: { Authorization: `Bearer ${key}` },
});
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
provider.register();
const tracer = trace.getTracer('sextant-quickstart');

const traceId = tracer.startActiveSpan('answer-question', (agent) => {
  agent.setAttribute('gen_ai.operation.name', 'invoke_agent');
  agent.setAttribute('user.id', 'user-42');
  tracer.startActiveSpan('chat gpt-4o', (llm) => {
    llm.setAttribute('gen_ai.operation.name', 'chat');
    llm.setAttribute('gen_ai.request.model', 'gpt-4o');
    llm.setAttribute('gen_ai.usage.input_tokens', 812);
    llm.setAttribute('gen_ai.usage.output_tokens', 96);
    llm.setStatus({ code: SpanStatusCode.OK });
    llm.end();
  });
  agent.end();
  return agent.spanContext().traceId;
});

// forceFlush sends the spans now and fails if the server did not take them
await provider.forceFlush();
await provider.shutdown();
console.log(traceId);
