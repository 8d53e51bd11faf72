import { X509Certificate, type KeyObject } from 'node:crypto';
import { curveOf, publicKeyHint } from './keys';
import { materialOf, parseBundle } from './bundle';
import { verifyCertificateChain } from './certificates';
import { verifyEnvelopeSignature } from './dsse';
import { hashFiles, type HashOptions } from './hash-pool';
import { computeRootDigest, effectiveIgnorePaths, signatureInsideModel } from './manifest';
import { listModelFiles, normaliseIgnorePath } from './model-walk';
import { DEFAULT_IGNORE_PATHS, DEFAULT_SIGNATURE_NAME, IN_TOTO_PAYLOAD_TYPE, OMS_PREDICATE_TYPE, SINGLE_FILE_RESOURCE_NAME } from './oms.constants';
import { describeZodError, omsPredicateSchema, statementSchema } from './statement';

/** Why a signature was refused; `message` is one line a person can act on. */
export type VerificationFailure =
  | { reason: 'malformed-bundle'; message: string }
  | { reason: 'wrong-key'; message: string }
  | { reason: 'invalid-signature'; message: string }
  | { reason: 'untrusted-certificate'; message: string }
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
      signer: { kind: 'key'; hint: string } | { kind: 'certificate'; subject: string; fingerprint256: string };
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
  const parsed = parseBundle(options.bundleJson);
  if (!parsed.ok) return fail({ reason: 'malformed-bundle', message: `malformed signature bundle: ${parsed.message}` });
  const { bundle } = parsed;
  const envelope = bundle.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return fail({ reason: 'malformed-bundle', message: `unexpected DSSE payloadType ${envelope.payloadType}` });
  }
  const payload = Buffer.from(envelope.payload, 'base64');
  const sig = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
  const material = materialOf(bundle);

  let signer: Extract<VerificationResult, { valid: true }>['signer'];
  let key: KeyObject;
  if (material.kind === 'publicKey') {
    if (!options.publicKey) {
      return fail({ reason: 'wrong-key', message: 'the signature was made with a key; verify it with a public key' });
    }
    key = options.publicKey;
    const hint = publicKeyHint(key);
    if (material.hint !== '' && material.hint !== hint) {
      return fail({ reason: 'wrong-key', message: `signed with a different key (bundle key hint ${material.hint}, given key ${hint})` });
    }
    signer = { kind: 'key', hint };
  } else {
    if (!options.trustedRoots) {
      return fail({ reason: 'untrusted-certificate', message: 'the signature was made with a certificate; verify it with --certificate-chain' });
    }
    let chain: X509Certificate[];
    try {
      chain = material.certificates.map((der) => new X509Certificate(der));
    } catch {
      return fail({ reason: 'malformed-bundle', message: 'a certificate in the bundle cannot be parsed' });
    }
    const check = verifyCertificateChain(chain, options.trustedRoots, options.now);
    if (!check.ok) return fail({ reason: 'untrusted-certificate', message: check.message });
    const leaf = check.path[0] as X509Certificate;
    key = leaf.publicKey;
    signer = { kind: 'certificate', subject: leaf.subject.replace(/\n/g, ', '), fingerprint256: leaf.fingerprint256 };
  }
  try {
    curveOf(key);
  } catch (e: unknown) {
    return fail({ reason: 'wrong-key', message: e instanceof Error ? e.message : 'unsupported key' });
  }
  if (!verifyEnvelopeSignature(key, envelope.payloadType, payload, sig)) {
    return fail(
      material.kind === 'publicKey' && material.hint === ''
        ? { reason: 'wrong-key', message: 'the signature does not verify with the given key (wrong key, or the envelope was altered)' }
        : { reason: 'invalid-signature', message: 'the DSSE signature does not verify: the envelope was altered' },
    );
  }

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
    return fail({ reason: 'malformed-statement', message: `unsupported OMS predicate: ${describeZodError(predicate.error)}` });
  }
  const { resources, serialization } = predicate.data;
  const subject = statement.data.subject[0];
  const rootDigest = computeRootDigest(resources);
  if (subject?.digest.sha256 !== rootDigest) {
    return fail({ reason: 'malformed-statement', message: 'subject digest does not match the signed resources' });
  }
  const signedNames = new Map<string, string>();
  for (const r of resources) {
    if (signedNames.has(r.name)) return fail({ reason: 'malformed-statement', message: `resource listed twice: ${r.name}` });
    signedNames.set(r.name, r.digest);
  }

  // Ignore paths: the verifier's own, plus the signed ones if the policy allows them.
  const sigInside = options.signaturePath === undefined ? undefined : signatureInsideModel(options.modelPath, options.signaturePath);
  const own = effectiveIgnorePaths(options.modelPath, {
    ignorePaths: options.ignorePaths,
    ignoreGitPaths: options.ignoreGitPaths,
    signaturePath: options.signaturePath,
  });
  const signedIgnores = serialization.ignore_paths ?? [];
  if (options.allowedSignedIgnorePaths !== 'any') {
    const allowed = new Set<string>([...DEFAULT_IGNORE_PATHS, DEFAULT_SIGNATURE_NAME, ...own, ...(sigInside ? [sigInside] : [])]);
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

  const listing = await listModelFiles(options.modelPath, ignores);
  if (listing.kind === 'file' && resources.length === 1 && resources[0]?.name === listing.modelName) {
    // Single-file models: accept the file's own name as well as the reference's ".".
    signedNames.set(SINGLE_FILE_RESOURCE_NAME, resources[0].digest);
    signedNames.delete(listing.modelName);
  }
  const present = listing.files.filter((f) => signedNames.has(f.name));
  const extra = listing.files.filter((f) => !signedNames.has(f.name)).map((f) => f.name);
  const presentNames = new Set(present.map((f) => f.name));
  const missing = [...signedNames.keys()].filter((n) => !presentNames.has(n));
  const digests = await hashFiles(present, options.hash);
  const changed = present.filter((f, i) => digests[i] !== signedNames.get(f.name)).map((f) => f.name);
  if (extra.length || missing.length || changed.length) {
    const parts = [
      changed.length ? `changed: ${listOrNone(changed)}` : '',
      missing.length ? `missing: ${listOrNone(missing)}` : '',
      extra.length ? `extra (unsigned): ${listOrNone(extra)}` : '',
    ].filter(Boolean);
    return fail({ reason: 'content-mismatch', extra, missing, changed, message: `model does not match its signature; ${parts.join('; ')}` });
  }
  return { valid: true, modelName: listing.modelName, rootDigest, resourceCount: resources.length, signer };
}
