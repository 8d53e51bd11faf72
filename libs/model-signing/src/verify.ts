import type { KeyObject, X509Certificate } from 'node:crypto';
import { verifyBundle, type BundleFailure, type BundleSigner } from './bundle-verify';
import { HashPool, type HashOptions } from './hash-pool';
import { computeRootDigest, effectiveIgnorePaths, signatureInsideModel } from './manifest';
import { listModelFiles, normaliseIgnorePath } from './model-walk';
import {
  DEFAULT_IGNORE_PATHS,
  DEFAULT_SIGNATURE_NAME,
  OMS_PREDICATE_TYPE,
  SINGLE_FILE_RESOURCE_NAME,
} from './oms.constants';
import { describeZodError, omsPredicateSchema, statementSchema } from './statement';

/** Why a signature was refused; `message` is one line a person can act on. */
export type VerificationFailure =
  | BundleFailure
  | { reason: 'malformed-statement'; message: string }
  | { reason: 'ignore-paths-policy'; message: string; unexpected: string[] }
  | { reason: 'content-mismatch'; message: string; extra: string[]; missing: string[]; changed: string[] };

/** A verification outcome: valid with what was verified, or the precise failure. */
export type VerificationResult =
  | {
      valid: true;
      modelName: string;
      rootDigest: string;
      resourceCount: number;
      signer: BundleSigner;
    }
  | ({ valid: false } & VerificationFailure);

/** Options of {@link verifyModel}. Give `publicKey` for key signatures or `trustedRoots` for certificates. */
export interface VerifyModelOptions {
  modelPath: string;
  /** The signature file's text (a Sigstore bundle). */
  bundleJson: string;
  /** Where the signature file lies: ignored when inside the model. */
  signaturePath?: string;
  publicKey?: KeyObject;
  trustedRoots?: readonly X509Certificate[];
  /** The verifier's own extra ignore paths (also allowed as signed ignore paths). */
  ignorePaths?: readonly string[];
  ignoreGitPaths?: boolean;
  /**
   * Signed `ignore_paths` a signer may exempt from the signature: `'any'` accepts all (the reference's
   * behaviour); by default only the git paths, the signature file and the verifier's own ignore paths.
   */
  allowedSignedIgnorePaths?: readonly string[] | 'any';
  /** Time at which certificates must be valid (default: now). */
  now?: Date;
  /** Tolerate files the signature does not list (the reference's `--ignore_unsigned_files`). */
  ignoreUnsignedFiles?: boolean;
  hash?: HashOptions;
}

const fail = (f: VerificationFailure): VerificationResult => ({ valid: false, ...f });

function listOrNone(names: readonly string[], max = 20): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} (+${names.length - max} more)` : shown;
}

/**
 * Verifies an OMS v1.0 signature of a model: bundle shape, key or certificate chain, DSSE signature over
 * the payload bytes as they are, statement shape, root digest, signed ignore paths against the policy,
 * and finally the model's files (extra, missing, changed). I/O problems (unreadable model) throw.
 */
export async function verifyModel(options: VerifyModelOptions): Promise<VerificationResult> {
  // The workers boot while the bundle is checked and the directories are read.
  const pool = new HashPool({ concurrency: options.hash?.concurrency });
  try {
    return await verifyWithPool(options, pool);
  } finally {
    await pool.close();
  }
}

async function verifyWithPool(options: VerifyModelOptions, pool: HashPool): Promise<VerificationResult> {
  const checked = await verifyBundle(options.bundleJson, options);
  if (!checked.ok) return fail({ reason: checked.reason, message: checked.message });
  const { payload, signer } = checked;

  let statementJson: unknown;
  try {
    statementJson = JSON.parse(payload.toString('utf8'));
  } catch {
    return fail({ reason: 'malformed-statement', message: 'signed payload is not JSON' });
  }
  const statement = statementSchema.safeParse(statementJson);
  if (!statement.success) return fail({ reason: 'malformed-statement', message: describeZodError(statement.error) });
  if (statement.data.predicateType !== OMS_PREDICATE_TYPE) {
    return fail({ reason: 'malformed-statement', message: `unexpected predicateType ${statement.data.predicateType}` });
  }
  const predicate = omsPredicateSchema.safeParse(statement.data.predicate);
  if (!predicate.success) {
    return fail({
      reason: 'malformed-statement',
      message: `unsupported OMS predicate: ${describeZodError(predicate.error)}`,
    });
  }
  const { resources, serialization } = predicate.data;
  const subject = statement.data.subject[0];
  const rootDigest = computeRootDigest(resources);
  if (subject?.digest.sha256 !== rootDigest) {
    return fail({ reason: 'malformed-statement', message: 'subject digest does not match the signed resources' });
  }
  const signedNames = new Map<string, string>();
  for (const r of resources) {
    if (signedNames.has(r.name))
      return fail({ reason: 'malformed-statement', message: `resource listed twice: ${r.name}` });
    signedNames.set(r.name, r.digest);
  }

  // Ignore paths: the verifier's own, plus the signed ones if the policy allows them.
  const sigInside =
    options.signaturePath === undefined ? undefined : signatureInsideModel(options.modelPath, options.signaturePath);
  const own = effectiveIgnorePaths(options.modelPath, {
    ignorePaths: options.ignorePaths,
    ignoreGitPaths: options.ignoreGitPaths,
    signaturePath: options.signaturePath,
  });
  const signedIgnores = serialization.ignore_paths ?? [];
  if (options.allowedSignedIgnorePaths !== 'any') {
    const allowed = new Set<string>([
      ...DEFAULT_IGNORE_PATHS,
      DEFAULT_SIGNATURE_NAME,
      ...own,
      ...(sigInside ? [sigInside] : []),
    ]);
    for (const p of options.allowedSignedIgnorePaths ?? []) {
      const n = normaliseIgnorePath(options.modelPath, p);
      if (n) allowed.add(n);
    }
    const unexpected = signedIgnores.filter((p) => !allowed.has(p));
    if (unexpected.length > 0) {
      return fail({
        reason: 'ignore-paths-policy',
        unexpected,
        message: `the signature exempts paths outside the ignore policy: ${listOrNone(unexpected)}`,
      });
    }
  }
  const ignores = [...own, ...signedIgnores.filter((p) => !own.includes(p))];

  const listing = await listModelFiles(options.modelPath, ignores, pool);
  if (listing.kind === 'file' && resources.length === 1 && resources[0]?.name === listing.modelName) {
    // Single-file models: accept the file's own name as well as the reference's ".".
    signedNames.set(SINGLE_FILE_RESOURCE_NAME, resources[0].digest);
    signedNames.delete(listing.modelName);
  }
  const present = listing.files.filter((f) => signedNames.has(f.name));
  const extra = options.ignoreUnsignedFiles
    ? []
    : listing.files.filter((f) => !signedNames.has(f.name)).map((f) => f.name);
  const presentNames = new Set(present.map((f) => f.name));
  const missing = [...signedNames.keys()].filter((n) => !presentNames.has(n));
  const digests = await pool.hash(present, options.hash);
  const changed = present.filter((f, i) => digests[i] !== signedNames.get(f.name)).map((f) => f.name);
  if (extra.length || missing.length || changed.length) {
    const parts = [
      changed.length ? `changed: ${listOrNone(changed)}` : '',
      missing.length ? `missing: ${listOrNone(missing)}` : '',
      extra.length ? `extra (unsigned): ${listOrNone(extra)}` : '',
    ].filter(Boolean);
    return fail({
      reason: 'content-mismatch',
      extra,
      missing,
      changed,
      message: `model does not match its signature; ${parts.join('; ')}`,
    });
  }
  return { valid: true, modelName: listing.modelName, rootDigest, resourceCount: resources.length, signer };
}
