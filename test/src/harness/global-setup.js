// Starts a fresh test stack (Kafka + Temporal) through infra/local/stack.sh, unless one is already up
// on the test ports (MLSECOPS_TEST_REUSE_STACK=1 keeps it between runs while iterating).
'use strict';
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const path = require('node:path');
const { freeBase } = require('./free-ports');
const stack_ = require('./stack-env');

module.exports = async () => {
  // Same process as the (in-band) test files: what is exported here is what they read back.
  if (process.env.MLSECOPS_TEST_REUSE_STACK !== '1') {
    process.env.MLSECOPS_TEST_KAFKA_PORT ??= String(await freeBase(19092, [0, 1]));
    process.env.MLSECOPS_TEST_TEMPORAL_PORT ??= String(await freeBase(17233, [0, 10, 1000]));
  }
  const { repoRoot, stackEnv } = stack_;
  const env = { ...process.env, ...stackEnv };
  const stack = path.join(repoRoot, 'infra/local/stack.sh');
  if (process.env.MLSECOPS_TEST_REUSE_STACK === '1') {
    try {
      execFileSync('bash', [stack, 'status'], { env, stdio: 'ignore' });
      return;
    } catch {
      // not running: start it below
    }
  }
  execFileSync('bash', [stack, 'down'], { env, stdio: 'inherit' });
  rmSync(stackEnv.MLSECOPS_DATA_DIR, { recursive: true, force: true });
  execFileSync('bash', [stack, 'up'], { env, stdio: 'inherit' });
};
