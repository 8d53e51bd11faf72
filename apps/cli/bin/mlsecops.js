#!/usr/bin/env node
'use strict';
// `npx mlsecops` entry point; the program is built by `npm run build` (or `npm start`).
const path = require('node:path');
const fs = require('node:fs');
const main = path.join(__dirname, '..', 'dist', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write('mlsecops: not built yet; run `npm run build` (or `npm start`) in the repository first.\n');
  process.exit(2);
}
require(main);
