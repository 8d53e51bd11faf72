'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { repoRoot, stackEnv } = require('./stack-env');

module.exports = async () => {
  if (process.env.MLSECOPS_TEST_REUSE_STACK === '1') return;
  execFileSync('bash', [path.join(repoRoot, 'infra/local/stack.sh'), 'down'], { env: { ...process.env, ...stackEnv }, stdio: 'inherit' });
};
