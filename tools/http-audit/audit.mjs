// Runs graphql-http's GraphQL-over-HTTP server audits against a live dealgraph server.
// Usage: DEALGRAPH_AUDIT_TOKEN=<token> node audit.mjs http://127.0.0.1:8000/graphql
// Prints one JSON object: counts per status and every audit that was not ok; exits 1 on any
// warning or error (a notice is information only).
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const token = process.env.DEALGRAPH_AUDIT_TOKEN;

// Authentication is on, as deployed: every audit request carries the bearer token.
async function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const problems = [];
for (const audit of serverAudits({ url, fetchFn: fetchWithToken })) {
  const result = await audit.fn();
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    problems.push({ id: result.id, name: result.name, status: result.status, reason: result.reason });
  }
}
console.log(JSON.stringify({ counts, problems }, null, 2));
process.exit(counts.warn + counts.error === 0 ? 0 : 1);
