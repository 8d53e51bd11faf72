// The test stack's ports and folders: never the dev stack's, so `npm test` can run beside `npm start`.
'use strict';
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '../../..');
const env = {
  KAFKA_PORT: process.env.MLSECOPS_TEST_KAFKA_PORT || '19092',
  TEMPORAL_PORT: process.env.MLSECOPS_TEST_TEMPORAL_PORT || '17233',
  TEMPORAL_UI: '0',
  MLSECOPS_DATA_DIR: path.join(repoRoot, '.data', 'test'),
};
module.exports = {
  repoRoot,
  stackEnv: env,
  kafkaBrokers: `127.0.0.1:${env.KAFKA_PORT}`,
  temporalAddress: `127.0.0.1:${env.TEMPORAL_PORT}`,
};
