export {
  BUNDLE_MEDIA_TYPE,
  DEFAULT_IGNORE_PATHS,
  DEFAULT_SIGNATURE_NAME,
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  OMS_PREDICATE_TYPE,
  SINGLE_FILE_RESOURCE_NAME,
} from './oms.constants';
export { comparePosixPaths } from './path-order';
export { HashPool, hashFiles } from './hash-pool';
export type { HashJob, HashOptions, StatKind, StatResult } from './hash-pool';
export { isIgnored, listModelFiles, normaliseIgnorePath } from './model-walk';
export type { ModelFile, ModelListing } from './model-walk';
export { buildManifest, computeRootDigest, effectiveIgnorePaths, signatureInsideModel } from './manifest';
export type { ManifestOptions, ManifestResource, ModelManifest } from './manifest';
export { curveOf, hashForCurve, keySigner, loadPrivateKey, loadPublicKey, publicKeyHint } from './keys';
export type { CurveHash, EcCurve, PayloadSigner } from './keys';
export { pae, signEnvelope, verifyEnvelopeSignature } from './dsse';
export type { DsseEnvelope } from './dsse';
export { buildOmsStatement, describeZodError, omsPredicateSchema, statementSchema } from './statement';
export type { InTotoStatement, OmsPredicate } from './statement';
export { buildBundle, materialOf, parseBundle, sigstoreBundleSchema } from './bundle';
export type { SigstoreBundle, VerificationMaterial } from './bundle';
export { leafUsageProblem, parseCertificatesPem, verifyCertificateChain } from './certificates';
export type { ChainCheck } from './certificates';
export { signModel } from './sign';
export type { SignedModel, SignModelOptions } from './sign';
export { verifyModel } from './verify';
export type { VerificationFailure, VerificationResult, VerifyModelOptions } from './verify';
export { readCertificateFiles, readPrivateKeyFile, readPublicKeyFile, readSignatureFile } from './key-files';
export { verifyBundle } from './bundle-verify';
export type { BundleFailure, BundleSigner, BundleTrust } from './bundle-verify';
export { PLATFORM_PREDICATE_TYPES, createAttestation, modelSubject, verifyAttestation } from './attest';
export type { AttestationOptions, AttestationVerification, ModelSubject } from './attest';
export { buildMlBom, modelMetadataSchema, readModelMetadata } from './bom';
export type { CycloneDxBom, MlBomOptions, ModelMetadata } from './bom';
export { envKeyProvider, fileKeyProvider } from './key-provider';
export type { EnvKeyProviderOptions, FileKeyProviderOptions, KeyProvider } from './key-provider';
