// Unit tests of every project (`*.spec.ts` beside the code). Integration and end-to-end suites that
// need the real Kafka and Temporal live in test/ and have their own config.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const projectDirs = ['libs', 'apps']
  .flatMap((group) => fs.readdirSync(path.join(__dirname, group)).map((name) => path.join(group, name)))
  .concat(['workflows'])
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'jest.config.js')));

module.exports = { projects: projectDirs.map((dir) => `<rootDir>/${dir}`) };
