/** Format constants of OpenSSF Model Signing (OMS) v1.0, as the reference implementation writes them. */
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const OMS_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
export const DEFAULT_SIGNATURE_NAME = 'model.sig';

/**
 * Top-level paths every OMS signer and verifier ignores by default (the reference's `ignore_git_paths`).
 * They are relative to the model root and match the path itself and anything below it.
 */
export const DEFAULT_IGNORE_PATHS: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];

/** Resource name the reference gives the only file of a model that is a single file. */
export const SINGLE_FILE_RESOURCE_NAME = '.';
