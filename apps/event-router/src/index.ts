// Public surface for the integration suites in test/: they host the real router module in-process.
export { RouterModule } from './router.module';
export { LifecycleRouter } from './lifecycle-router.service';
export type { RouteOutcome } from './lifecycle-router.service';
export { workflowIdFor } from './workflow-id';
export { routerConfigSchema } from './router.config';
export type { RouterConfig } from './router.config';
