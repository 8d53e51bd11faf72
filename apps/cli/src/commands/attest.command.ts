import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  createAttestation,
  keySigner,
  modelSubject,
  readCertificateFiles,
  readPrivateKeyFile,
  readPublicKeyFile,
  readSignatureFile,
  verifyAttestation,
} from '@mlsecops/model-signing';
import { CliExit, EXIT } from '../cli-exit';
import { emit } from '../output';
import { passwordFromEnv } from './sign.command';

interface CreateFlags {
  predicateType: string;
  predicate: string;
  privateKey: string;
  passwordEnv?: string;
  signingCertificate?: string;
  certificateChain?: string[];
  ignorePaths?: string[];
  output: string;
}

interface VerifyFlags {
  attestation: string;
  publicKey?: string;
  certificateChain?: string[];
  predicateType?: string;
  ignorePaths?: string[];
  json?: boolean;
}

async function readPredicate(path: string): Promise<Record<string, unknown>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e: unknown) {
    throw new CliExit(EXIT.usage, `--predicate ${path}: ${e instanceof Error ? e.message : 'unreadable'}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliExit(EXIT.usage, `--predicate ${path}: expected a JSON object`);
  }
  return json as Record<string, unknown>;
}

/** `mlsecops attest create|verify`: signed in-toto statements about a model (subject = OMS root digest). */
export function registerAttestCommand(program: Command): void {
  const attest = program
    .command('attest')
    .description('Signed in-toto attestations about a model (subject: its OMS root digest)');
  attest
    .command('create')
    .description('Wrap a platform result (JSON) as a DSSE-signed in-toto Statement v1 about the model')
    .argument('<model-path>', 'model directory (or single file)')
    .requiredOption('--predicate-type <uri>', 'predicate type URI of the result')
    .requiredOption('--predicate <json-file>', 'the result, a JSON object')
    .requiredOption('--private-key <pem>', 'ECDSA P-256/P-384/P-521 private key')
    .option('--password-env <var>', 'environment variable holding the private key password')
    .option('--signing-certificate <pem>', 'sign with this certificate for the private key')
    .option('--certificate-chain <pems...>', 'intermediate certificates to include')
    .option('--ignore-paths <paths...>', 'paths to leave out of the root digest')
    .requiredOption('--output <path>', 'where to write the attestation bundle')
    .action(async (modelPath: string, flags: CreateFlags) => {
      const predicate = await readPredicate(flags.predicate);
      const privateKey = await readPrivateKeyFile(flags.privateKey, passwordFromEnv(flags.passwordEnv));
      const certificateChain = flags.signingCertificate
        ? await readCertificateFiles([flags.signingCertificate, ...(flags.certificateChain ?? [])])
        : undefined;
      const subject = await modelSubject(modelPath, { ignorePaths: flags.ignorePaths });
      const att = await createAttestation({
        subject,
        predicateType: flags.predicateType,
        predicate,
        signer: keySigner(privateKey),
        certificateChain,
      });
      await writeFile(flags.output, att.json);
      await emit(
        `attested ${subject.name} (root sha256:${subject.rootDigest}) as ${flags.predicateType} -> ${flags.output}`,
      );
    });
  attest
    .command('verify')
    .description('Check an attestation against a model; exit 0 valid, 1 invalid, 2 usage error')
    .argument('<model-path>', 'model directory (or single file)')
    .requiredOption('--attestation <path>', 'attestation bundle')
    .option('--public-key <pem>', 'public key (SPKI PEM)')
    .option('--certificate-chain <pems...>', 'trusted root certificates (PEM)')
    .option('--predicate-type <uri>', 'require this predicate type')
    .option('--ignore-paths <paths...>', 'paths left out of the root digest when attesting')
    .option('--json', 'print the result as JSON')
    .action(async (modelPath: string, flags: VerifyFlags) => {
      if (Boolean(flags.publicKey) === Boolean(flags.certificateChain)) {
        throw new CliExit(EXIT.usage, 'give exactly one of --public-key or --certificate-chain');
      }
      const bundleJson = await readSignatureFile(flags.attestation);
      const result = await verifyAttestation(
        bundleJson,
        await modelSubject(modelPath, { ignorePaths: flags.ignorePaths }),
        {
          publicKey: flags.publicKey ? await readPublicKeyFile(flags.publicKey) : undefined,
          trustedRoots: flags.certificateChain ? await readCertificateFiles(flags.certificateChain) : undefined,
          predicateType: flags.predicateType,
        },
      );
      if (flags.json) await emit(JSON.stringify(result));
      if (!result.valid) throw new CliExit(EXIT.failed, `attestation invalid (${result.reason}): ${result.message}`);
      if (!flags.json)
        await emit(
          `attestation valid: ${result.statement.predicateType} about ${result.statement.subject[0]?.name ?? '?'}`,
        );
    });
}
