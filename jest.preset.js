// Shared Jest settings for every project: ts-jest transpiles only (tsconfig's isolatedModules; type checking is `npm run
// typecheck`'s job, once, for the whole repo) and @mlsecops/* imports mapped to their sources so unit
// tests never need a build.
'use strict';
const path = require('node:path');
const root = __dirname;

module.exports = (projectDir, overrides = {}) => ({
  displayName: path.relative(root, projectDir),
  rootDir: projectDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.json') }],
  },
  moduleNameMapper: {
    '^@mlsecops/workflows$': path.join(root, 'workflows/src/index.ts'),
    '^@mlsecops/([a-z0-9-]+)$': path.join(root, 'libs/$1/src/index.ts'),
  },
  ...overrides,
});
