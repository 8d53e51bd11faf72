import { kafkaEnv, logEnv, signingEnv, temporalEnv, workerEnv } from '@mlsecops/config';
import type { z } from 'zod';

/** Everything the worker reads from its environment, validated at start-up. */
export const workerConfigSchema = workerEnv
  .extend(temporalEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(logEnv.shape)
  .extend(signingEnv.shape);
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
