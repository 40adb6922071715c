#!/usr/bin/env node
// Checks Cypher statements with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support).
//
// stdin:  {"statements": {"NAME": "MATCH ..."},
//          "schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//                     "graphSchema": [{"from": "A", "to": "B", "relType": "R"}]}}
// stdout: {"version": "...", "checked": N,
//          "diagnostics": [{"statement", "severity", "message", "line", "column", "text"}]}
//
// Every diagnostic is reported except "Parameter $x is not defined" (statements are always
// run with parameters). Neo4j's built-in functions and procedures come from the package's
// mock schema, so unknown or misspelled functions are errors. Exit code: 0 when nothing was
// reported, 1 when there are diagnostics, 2 when the input is unusable.

import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  isNotParamError,
  lintCypherQuery,
  testData,
} from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function packageVersion() {
  const here = dirname(fileURLToPath(import.meta.url));
  const manifest = join(here, 'node_modules', '@neo4j-cypher', 'language-support', 'package.json');
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

function readInput() {
  const raw = readFileSync(0, 'utf8');
  const input = JSON.parse(raw);
  if (!input || typeof input.statements !== 'object' || input.statements === null) {
    throw new Error('input needs a "statements" object of name -> Cypher text');
  }
  return input;
}

function dbSchemaFrom(schema) {
  const mock = testData.mockSchema;
  const dbSchema = {
    labels: schema.labels ?? [],
    relationshipTypes: schema.relationshipTypes ?? [],
    propertyKeys: schema.propertyKeys ?? [],
    functions: mock.functions,
    procedures: mock.procedures,
  };
  if (Array.isArray(schema.graphSchema) && schema.graphSchema.length > 0) {
    dbSchema.graphSchema = schema.graphSchema;
  }
  return dbSchema;
}

function lintOne(name, text, dbSchema) {
  const { diagnostics } = lintCypherQuery(text, dbSchema);
  return diagnostics.filter(isNotParamError).map((d) => ({
    statement: name,
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    text: text.slice(d.offsets.start, d.offsets.end),
  }));
}

function lintAll(names, statements, dbSchema) {
  const diagnostics = [];
  for (const name of names) {
    diagnostics.push(...lintOne(name, statements[name], dbSchema));
  }
  return diagnostics;
}

// Linting is CPU-bound (~80 ms a statement): split the statements over worker threads.
function lintInWorkers(names, statements, dbSchema) {
  const workers = Math.max(1, Math.min(availableParallelism(), Number(process.env.CYPHER_LINT_WORKERS ?? 4), Math.ceil(names.length / 20)));
  const chunks = Array.from({ length: workers }, (_, i) => names.filter((_, j) => j % workers === i));
  return Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), {
            workerData: { names: chunk, statements, schema: dbSchema },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  ).then((parts) => parts.flat());
}

async function main() {
  let input;
  try {
    input = readInput();
  } catch (error) {
    process.stderr.write(`cypher-lint: ${error.message}\n`);
    process.exit(2);
  }
  const dbSchema = dbSchemaFrom(input.schema ?? {});
  const names = Object.keys(input.statements).sort();
  const diagnostics = await lintInWorkers(names, input.statements, dbSchema);
  diagnostics.sort((a, b) => (a.statement < b.statement ? -1 : a.statement > b.statement ? 1 : 0));
  const report = { version: packageVersion(), checked: names.length, diagnostics };
  process.stdout.write(JSON.stringify(report, null, 1) + '\n');
  process.exitCode = diagnostics.length === 0 ? 0 : 1;
}

if (isMainThread) {
  await main();
} else {
  const { names, statements, schema } = workerData;
  parentPort.postMessage(lintAll(names, statements, schema));
}
