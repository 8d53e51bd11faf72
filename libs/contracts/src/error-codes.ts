/**
 * The closed set of error codes. Edges map them: HTTP problem+json `type`, DLQ reason header, Temporal
 * `ApplicationFailure` type, CLI exit code.
 */
export const ERROR_CODES = [
  'INVALID_JSON',
  'SCHEMA_VIOLATION',
  'UNKNOWN_EVENT_TYPE',
  'OVERSIZE',
  'UNSUPPORTED_BINDING',
  'PATH_OUTSIDE_ROOT',
  'NOT_FOUND',
  'UNSUPPORTED_URI',
  'UNSUPPORTED_FORMAT',
  'IO_ERROR',
  'INVALID_CONFIG',
  'INVALID_INPUT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Error codes that retrying cannot fix: activities raise them as non-retryable failures. */
export const NON_RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PATH_OUTSIDE_ROOT',
  'NOT_FOUND',
  'UNSUPPORTED_URI',
  'UNSUPPORTED_FORMAT',
  'INVALID_INPUT',
]);

/** An error with a code from the closed set and a message a person can act on. */
export class MlsecopsError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MlsecopsError';
  }
}

export function isMlsecopsError(e: unknown): e is MlsecopsError {
  return e instanceof MlsecopsError;
}
