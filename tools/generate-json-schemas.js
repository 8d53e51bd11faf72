#!/usr/bin/env node
// Generates the JSON Schema of every event type in the catalogue from its zod schema, so producers in
// any language can validate before publishing. `--check` fails (exit 1) when the committed files drift.
'use strict';
const { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } = require('node:fs');
const path = require('node:path');
const { z } = require('zod');
const { EVENT_CATALOGUE } = require('@mlsecops/contracts');

const outDir = path.resolve(__dirname, '..', 'libs', 'contracts', 'schemas');
const check = process.argv.includes('--check');

const expected = new Map();
for (const [type, entry] of Object.entries(EVENT_CATALOGUE)) {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://mlsecops.dev/schemas/${type}.schema.json`,
    title: type,
    description: entry.description,
    ...z.toJSONSchema(entry.schema, { io: 'input', target: 'draft-2020-12' }),
  };
  delete schema.$schema;
  expected.set(
    `${type}.schema.json`,
    JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }, null, 2) + '\n',
  );
}

if (check) {
  const problems = [];
  for (const [file, body] of expected) {
    const target = path.join(outDir, file);
    if (!existsSync(target)) problems.push(`${file} is missing`);
    else if (readFileSync(target, 'utf8') !== body) problems.push(`${file} differs from the zod schema`);
  }
  for (const file of existsSync(outDir) ? readdirSync(outDir) : []) {
    if (!expected.has(file)) problems.push(`${file} has no event type in the catalogue`);
  }
  if (problems.length > 0) {
    console.error(
      `JSON Schemas drifted from libs/contracts (run npm run schemas and commit):\n  ${problems.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`JSON Schemas up to date (${expected.size} event types)`);
} else {
  mkdirSync(outDir, { recursive: true });
  for (const [file, body] of expected) writeFileSync(path.join(outDir, file), body);
  console.log(`wrote ${expected.size} JSON Schemas to ${path.relative(process.cwd(), outDir)}`);
}
