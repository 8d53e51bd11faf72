/** DI tokens of the event router. */
export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const KAFKA = Symbol('KAFKA');
export const TELEMETRY = Symbol('TELEMETRY');
