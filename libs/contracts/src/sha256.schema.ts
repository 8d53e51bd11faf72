import { z } from 'zod';

/** A SHA-256 digest as 64 lowercase hex characters (upper case is accepted and normalised). */
export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'expected a SHA-256 digest: 64 hex characters')
  .transform((s) => s.toLowerCase());
