#!/usr/bin/env node
'use strict';
// `npx mlsecops` entry point; the program is built by `npm run build` (or `npm start`).
const path = require('node:path');
const { cliEntry } = require('./entry');

const main = cliEntry(path.join(__dirname, '..', 'dist'), path.join(__dirname, '..', '..', '..'));
if (main === undefined) {
  process.stderr.write('mlsecops: not built yet; run `npm run build` (or `npm start`) in the repository first.\n');
  process.exit(2);
}
require(main);
