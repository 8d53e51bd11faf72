/** DI tokens of the worker app. */
export const TELEMETRY = Symbol('TELEMETRY');
export const ACTIVITIES_BY_QUEUE = Symbol('ACTIVITIES_BY_QUEUE');
export const RESULT_PUBLISHER = Symbol('RESULT_PUBLISHER');
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
