import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  DEFAULT_SIGNATURE_NAME,
  keySigner,
  readCertificateFiles,
  readPrivateKeyFile,
  signModel,
} from '@mlsecops/model-signing';
import { CliExit, EXIT } from '../cli-exit';
import { emit } from '../output';

interface SignFlags {
  privateKey: string;
  passwordEnv?: string;
  signature: string;
  ignorePaths?: string[];
  ignoreGitPaths: boolean;
  signingCertificate?: string;
  certificateChain?: string[];
  json?: boolean;
}

/** Reads a password from the environment variable the user named (the password never goes on argv). */
export function passwordFromEnv(variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const value = process.env[variable];
  if (value === undefined) throw new CliExit(EXIT.usage, `--password-env: environment variable ${variable} is not set`);
  return value;
}

/** `mlsecops sign MODEL_PATH --private-key KEY.pem`: writes an OMS v1.0 signature (Sigstore bundle). */
export function registerSignCommand(program: Command): void {
  program
    .command('sign')
    .description('Sign a model (OpenSSF Model Signing v1.0, interoperable with model_signing)')
    .argument('<model-path>', 'model directory (or single file)')
    .requiredOption('--private-key <pem>', 'ECDSA P-256/P-384/P-521 private key (PEM, SEC1 or PKCS#8)')
    .option('--password-env <var>', 'environment variable holding the private key password')
    .option('--signature <path>', 'where to write the signature', DEFAULT_SIGNATURE_NAME)
    .option('--ignore-paths <paths...>', 'paths to leave out of the signature (relative to the model)')
    .option('--no-ignore-git-paths', 'also sign .git, .gitattributes, .github and .gitignore')
    .option('--signing-certificate <pem>', 'sign with this certificate for the private key')
    .option('--certificate-chain <pems...>', 'intermediate certificates to include after the signing certificate')
    .option('--json', 'print the result as JSON')
    .action(async (modelPath: string, flags: SignFlags) => {
      if (flags.certificateChain && !flags.signingCertificate) {
        throw new CliExit(EXIT.usage, '--certificate-chain needs --signing-certificate');
      }
      const privateKey = await readPrivateKeyFile(flags.privateKey, passwordFromEnv(flags.passwordEnv));
      const certificateChain = flags.signingCertificate
        ? await readCertificateFiles([flags.signingCertificate, ...(flags.certificateChain ?? [])])
        : undefined;
      const signed = await signModel({
        modelPath,
        signer: keySigner(privateKey),
        certificateChain,
        signaturePath: flags.signature,
        ignorePaths: flags.ignorePaths,
        ignoreGitPaths: flags.ignoreGitPaths,
      });
      await writeFile(flags.signature, signed.json);
      const summary = {
        signature: flags.signature,
        model: signed.manifest.modelName,
        rootDigest: signed.manifest.rootDigest,
        files: signed.manifest.resources.length,
        bytes: signed.manifest.totalBytes,
      };
      await emit(
        flags.json
          ? JSON.stringify(summary)
          : `signed ${summary.model}: ${summary.files} files, root sha256:${summary.rootDigest} -> ${summary.signature}`,
      );
    });
}
