// Runs a small experiment against Sextant with nothing but fetch: a dataset of three questions,
// an experiment with two evaluators, the model's answers as results, then the summary once the
// evaluators have scored them. Run against a server:
//
//   SEXTANT_URL=http://127.0.0.1:8080 SEXTANT_API_KEY=sxk_... node run-experiment.mjs
//
// It prints the completed experiment's summary as JSON.
const base = `${process.env.SEXTANT_URL ?? 'http://127.0.0.1:8080'}/api/v1`;
const key = process.env.SEXTANT_API_KEY;
if (!key) {
  console.error('set SEXTANT_API_KEY to a project API key (sxk_...)');
  process.exit(2);
}

async function call(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  }
  return answer;
}

const dataset = await call('POST', '/datasets', { name: `capitals-${Date.now()}` });
await call('POST', `/datasets/${dataset.id}/items`, {
  items: [
    { id: 'fr', input: 'Capital of France?', expected_output: 'Paris' },
    { id: 'jp', input: 'Capital of Japan?', expected_output: 'Tokyo' },
    { id: 'au', input: 'Capital of Australia?', expected_output: 'Canberra' },
  ],
});

const experiment = await call('POST', '/experiments', {
  name: 'capitals, first try',
  dataset_id: dataset.id,
  evaluators: [
    { name: 'exact', type: 'exact_match' },
    { name: 'similarity', type: 'levenshtein_similarity' },
  ],
});

// what the model answered, with what it cost; each result is acknowledged on its own (207)
const written = await call('POST', `/experiments/${experiment.id}/results`, {
  results: [
    { item_id: 'fr', output: 'Paris', latency_ms: 412, cost_usd: 0.0004 },
    { item_id: 'jp', output: 'Tokyo', latency_ms: 388, cost_usd: 0.0004 },
    { item_id: 'au', output: 'Sydney', latency_ms: 455, cost_usd: 0.0005 },
  ],
});
const refused = written.results.filter((r) => r.status !== 201);
if (refused.length > 0) {
  throw new Error(`results refused: ${JSON.stringify(refused)}`);
}

// the evaluators run in the background; the summary counts what they have yet to score
let summary = await call('GET', `/experiments/${experiment.id}`);
for (let waited = 0; summary.pending_evaluations > 0 && waited < 30_000; waited += 200) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  summary = await call('GET', `/experiments/${experiment.id}`);
}
summary = await call('POST', `/experiments/${experiment.id}/complete`);
console.log(JSON.stringify(summary));
