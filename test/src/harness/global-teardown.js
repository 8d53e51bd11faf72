'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const stack = require('./stack-env');

module.exports = async () => {
  if (process.env.MLSECOPS_TEST_REUSE_STACK === '1') return;
  execFileSync('bash', [path.join(stack.repoRoot, 'infra/local/stack.sh'), 'down'], {
    env: { ...process.env, ...stack.stackEnv },
    stdio: 'inherit',
  });
};
