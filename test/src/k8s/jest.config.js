// Runs the manifest checks alone, without the integration suites' Kafka and Temporal:
//   npx jest --config test/src/k8s/jest.config.js
// test/jest.config.js picks the same spec up as part of the integration run.
'use strict';
const path = require('node:path');
const preset = require('../../../jest.preset.js');

const base = preset(__dirname);
module.exports = {
  ...base,
  displayName: 'k8s-manifests',
  testMatch: ['<rootDir>/*.spec.ts'],
  moduleNameMapper: {
    '^@mlsecops/(event-router|worker|cli)$': path.join(__dirname, '../../../apps/$1/src/index.ts'),
    ...base.moduleNameMapper,
  },
};
