import type { z } from 'zod';

/** Thrown when configuration is invalid; the message names every bad variable and why. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses raw environment variables with a schema; unknown variables are ignored. */
export function parseEnv<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      // The variable is the first path element; deeper elements point inside a parsed list.
      const name = issue.path.length > 0 ? String(issue.path[0]) : '(root)';
      const value = raw[name];
      const shown =
        value === undefined ? 'unset' : `got "${typeof value === 'string' ? value : JSON.stringify(value)}"`;
      return `${name}: ${issue.message} (${shown})`;
    }),
  );
}

/** `validate` for `ConfigModule.forRoot({ isGlobal: true, validate: validateWith(schema) })`. */
export function validateWith<S extends z.ZodType>(schema: S): (raw: Record<string, unknown>) => z.infer<S> {
  return (raw) => parseEnv(schema, raw);
}

/** Reads the process environment: the only place in the code base that touches process.env. */
export function readProcessEnv<S extends z.ZodType>(schema: S): z.infer<S> {
  return parseEnv(schema, process.env);
}
