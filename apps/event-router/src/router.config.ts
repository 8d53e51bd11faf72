import { kafkaEnv, logEnv, routerEnv, temporalEnv } from '@mlsecops/config';
import type { z } from 'zod';

/** Everything the router reads from its environment, validated at start-up. */
export const routerConfigSchema = routerEnv.extend(kafkaEnv.shape).extend(temporalEnv.shape).extend(logEnv.shape);
export type RouterConfig = z.infer<typeof routerConfigSchema>;
