import type { Command } from 'commander';
import { registerEmitCommand } from './emit.command';
import { registerStatusCommand } from './status.command';
import { registerSignCommand } from './sign.command';
import { registerVerifyCommand } from './verify.command';
import { registerAttestCommand } from './attest.command';
import { registerBomCommand } from './bom.command';
import { registerProfileCommand } from './profile.command';
import { registerDriftCommand } from './drift.command';
import { registerCheckDataCommand } from './check-data.command';
import { registerScanCommand } from './scan.command';
import { registerManifestCommand } from './manifest.command';

/** Each command file exports one `register*Command(program)`; list it here to add it to the CLI. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerEmitCommand,
  registerStatusCommand,
  registerSignCommand,
  registerVerifyCommand,
  registerAttestCommand,
  registerBomCommand,
  registerProfileCommand,
  registerDriftCommand,
  registerCheckDataCommand,
  registerScanCommand,
  registerManifestCommand,
];
