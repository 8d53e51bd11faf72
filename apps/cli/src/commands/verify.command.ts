import type { Command } from 'commander';
import {
  DEFAULT_SIGNATURE_NAME,
  readCertificateFiles,
  readPublicKeyFile,
  readSignatureFile,
  verifyModel,
} from '@mlsecops/model-signing';
import { CliExit, EXIT } from '../cli-exit';
import { emit } from '../output';

interface VerifyFlags {
  publicKey?: string;
  certificateChain?: string[];
  signature: string;
  ignorePaths?: string[];
  ignoreGitPaths: boolean;
  allowIgnorePaths?: string[];
  anyIgnorePaths?: boolean;
  ignoreUnsignedFiles?: boolean;
  json?: boolean;
}

/** `mlsecops verify MODEL_PATH --public-key PUB.pem --signature SIG`: exit 0 valid, 1 invalid, 2 usage. */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('Verify a model signature (OpenSSF Model Signing v1.0); exit 0 valid, 1 invalid, 2 usage error')
    .argument('<model-path>', 'model directory (or single file)')
    .option('--public-key <pem>', 'public key (SPKI PEM) for key signatures')
    .option('--certificate-chain <pems...>', 'trusted root certificates (PEM) for certificate signatures')
    .option('--signature <path>', 'signature file', DEFAULT_SIGNATURE_NAME)
    .option('--ignore-paths <paths...>', 'paths to leave out of verification (relative to the model)')
    .option('--no-ignore-git-paths', 'also verify .git, .gitattributes, .github and .gitignore')
    .option('--allow-ignore-paths <paths...>', 'signed ignore_paths to accept besides git paths and the signature')
    .option('--any-ignore-paths', 'accept any signed ignore_paths (the reference behaviour)')
    .option('--ignore-unsigned-files', 'tolerate files the signature does not list')
    .option('--json', 'print the result as JSON')
    .action(async (modelPath: string, flags: VerifyFlags) => {
      if (Boolean(flags.publicKey) === Boolean(flags.certificateChain)) {
        throw new CliExit(EXIT.usage, 'give exactly one of --public-key or --certificate-chain');
      }
      const bundleJson = await readSignatureFile(flags.signature);
      const result = await verifyModel({
        modelPath,
        bundleJson,
        signaturePath: flags.signature,
        publicKey: flags.publicKey ? await readPublicKeyFile(flags.publicKey) : undefined,
        trustedRoots: flags.certificateChain ? await readCertificateFiles(flags.certificateChain) : undefined,
        ignorePaths: flags.ignorePaths,
        ignoreGitPaths: flags.ignoreGitPaths,
        allowedSignedIgnorePaths: flags.anyIgnorePaths ? 'any' : flags.allowIgnorePaths,
        ignoreUnsignedFiles: flags.ignoreUnsignedFiles,
      });
      if (flags.json) await emit(JSON.stringify(result));
      if (!result.valid) throw new CliExit(EXIT.failed, `verification failed (${result.reason}): ${result.message}`);
      if (!flags.json) {
        await emit(`verified ${result.modelName}: ${result.resourceCount} files, root sha256:${result.rootDigest}`);
      }
    });
}
