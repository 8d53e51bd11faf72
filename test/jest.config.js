// Integration and end-to-end suites: a real Kafka and Temporal, started once for the run by the same
// infra/local scripts users run, on their own ports and data dir (see src/harness/stack-env.ts).
'use strict';
const path = require('node:path');
const preset = require('../jest.preset.js');

module.exports = {
  ...preset(__dirname),
  displayName: 'integration',
  testMatch: ['<rootDir>/src/**/*.e2e.ts', '<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@mlsecops/(event-router|worker|cli)$': path.join(__dirname, '../apps/$1/src/index.ts'),
    ...preset(__dirname).moduleNameMapper,
  },
  globalSetup: '<rootDir>/src/harness/global-setup.js',
  globalTeardown: '<rootDir>/src/harness/global-teardown.js',
  testTimeout: 120_000,
};
