import type { Command } from 'commander';
import { createDatasetManifest, readDatasetManifest, verifyDatasetManifest } from '@mlsecops/data-checks';
import type { DatasetManifestVerification } from '@mlsecops/data-checks';
import { CliExit, EXIT } from '../cli-exit';
import { emit } from '../output';
import { withDataErrors } from './profile.command';

interface CreateFlags {
  output?: string;
  ignorePaths?: string[];
  json?: boolean;
}

interface VerifyFlags {
  manifest: string;
  json?: boolean;
}

/** File names shown per list in text output; `--json` always has them all. */
const SHOWN = 20;

function listed(label: string, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const more = names.length > SHOWN ? ` and ${names.length - SHOWN} more` : '';
  return [`${label} (${names.length}): ${names.slice(0, SHOWN).join(', ')}${more}`];
}

function mismatchMessage(v: DatasetManifestVerification): string {
  const lines = [...listed('changed', v.changed), ...listed('missing', v.missing), ...listed('extra', v.extra)];
  for (const f of v.findings) {
    if (f.code === 'integrity.manifest-inconsistent' || f.code === 'integrity.root-mismatch') lines.push(f.message);
  }
  return `dataset does not match the manifest\n  ${lines.join('\n  ')}`;
}

/**
 * `mlsecops manifest [create] DATA --output MANIFEST.json` and `mlsecops manifest verify DATA --manifest
 * MANIFEST.json`: per-file SHA-256 and the OMS root digest of a dataset file or folder, and their check.
 */
export function registerManifestCommand(program: Command): void {
  const manifest = program
    .command('manifest')
    .description("Dataset manifests: per-file SHA-256 and a root digest (computed like a model signature's)");
  manifest
    .command('create', { isDefault: true })
    .description('Hash a dataset file or folder (streamed) into a manifest')
    .argument('<data>', 'dataset file or folder')
    .option(
      '-o, --output <file>',
      'write the manifest here (left out of the listing when inside the dataset) instead of stdout',
    )
    .option(
      '--ignore-paths <paths...>',
      'paths to leave out (relative to the dataset folder); recorded, so verify leaves them out too',
    )
    .option('--json', 'with --output: print the summary as JSON')
    .action(async (data: string, flags: CreateFlags) =>
      withDataErrors(async () => {
        const m = await createDatasetManifest(data, { ignorePaths: flags.ignorePaths, manifestPath: flags.output });
        const body = `${JSON.stringify(m, null, 2)}\n`;
        if (!flags.output) {
          await emit(body);
          return;
        }
        await emit(body, flags.output);
        const summary = {
          manifest: flags.output,
          dataset: m.datasetName,
          files: m.files.length,
          bytes: m.totalBytes,
          rootDigest: m.rootDigest,
        };
        await emit(
          flags.json
            ? JSON.stringify(summary)
            : `manifest of ${summary.dataset}: ${summary.files} files, ${summary.bytes} bytes, root sha256:${summary.rootDigest} -> ${flags.output}`,
        );
      }),
    );
  manifest
    .command('verify')
    .description(
      'Re-hash a dataset against its manifest; exit 0 match, 1 mismatch (changed, missing, extra files), 2 usage error',
    )
    .argument('<data>', 'dataset file or folder')
    .requiredOption('--manifest <file>', 'manifest written by `mlsecops manifest`')
    .option('--json', 'print the result as JSON')
    .action(async (data: string, flags: VerifyFlags) =>
      withDataErrors(async () => {
        const expected = await readDatasetManifest(flags.manifest);
        const v = await verifyDatasetManifest(data, expected, { manifestPath: flags.manifest });
        if (flags.json) await emit(JSON.stringify(v));
        if (!v.valid) throw new CliExit(EXIT.failed, mismatchMessage(v));
        if (!flags.json)
          await emit(`verified ${expected.datasetName}: ${v.fileCount} files, root sha256:${v.rootDigest}`);
      }),
    );
}
