import type { Command } from 'commander';
import { buildMlBom, readModelMetadata } from '@mlsecops/model-signing';
import { emit } from '../output';

interface BomFlags {
  metadata?: string;
  output: string;
  ignorePaths?: string[];
}

/** `mlsecops bom MODEL_PATH [--metadata FILE] --output BOM.json`: a CycloneDX 1.6 ML-BOM. */
export function registerBomCommand(program: Command): void {
  program
    .command('bom')
    .description('Write a CycloneDX 1.6 ML-BOM of a model (files, OMS root digest, model card, datasets)')
    .argument('<model-path>', 'model directory (or single file)')
    .option('--metadata <json-file>', 'model-card fields and training datasets')
    .requiredOption('--output <path>', 'where to write the BOM (JSON)')
    .option('--ignore-paths <paths...>', 'paths to leave out (relative to the model)')
    .action(async (modelPath: string, flags: BomFlags) => {
      const metadata = flags.metadata ? await readModelMetadata(flags.metadata) : undefined;
      const bom = await buildMlBom({ modelPath, metadata, ignorePaths: flags.ignorePaths });
      await emit(JSON.stringify(bom, null, 2), flags.output);
      const hashes = (bom.components as { hashes?: { content: string }[] }[])[0]?.hashes;
      await emit(`wrote ${flags.output}: root sha256:${hashes?.[0]?.content ?? '?'}`);
    });
}
