// The test stack's ports and folders: never the dev stack's, so `npm test` can run beside `npm start`.
// global-setup picks free ports once per run and exports them; test files read them back from here.
'use strict';
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '../../..');

function stackEnv() {
  return {
    KAFKA_PORT: process.env.MLSECOPS_TEST_KAFKA_PORT || '19092',
    TEMPORAL_PORT: process.env.MLSECOPS_TEST_TEMPORAL_PORT || '17233',
    TEMPORAL_UI: '0',
    MLSECOPS_DATA_DIR: path.join(repoRoot, '.data', 'test'),
  };
}

module.exports = {
  repoRoot,
  get stackEnv() {
    return stackEnv();
  },
  get kafkaBrokers() {
    return `127.0.0.1:${stackEnv().KAFKA_PORT}`;
  },
  get temporalAddress() {
    return `127.0.0.1:${stackEnv().TEMPORAL_PORT}`;
  },
};
