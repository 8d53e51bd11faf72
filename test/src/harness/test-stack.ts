// Typed view of stack-env.js (plain JS because Jest's globalSetup, which picks the ports, loads it too).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const env = require('./stack-env.js') as {
  repoRoot: string;
  stackEnv: Record<string, string>;
  kafkaBrokers: string;
  temporalAddress: string;
};

export const repoRoot = env.repoRoot;
export const stackEnv = env.stackEnv;
export const kafkaBrokers = env.kafkaBrokers;
export const temporalAddress = env.temporalAddress;
