import type { Command } from 'commander';

/** Adds one command (its options, arguments and action) to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * Every command of the CLI, by name. Each command file exports one `register*Command(program)`; list it
 * here to add it to the CLI. Modules are loaded on demand: a run of `mlsecops scan` loads the scanner
 * only, not the signing, data-check or platform libraries (start-up is most of a short scan).
 */
export const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<RegisterCommand> }> = [
  { name: 'emit', load: async () => (await import('./emit.command')).registerEmitCommand },
  { name: 'status', load: async () => (await import('./status.command')).registerStatusCommand },
  { name: 'sign', load: async () => (await import('./sign.command')).registerSignCommand },
  { name: 'verify', load: async () => (await import('./verify.command')).registerVerifyCommand },
  { name: 'attest', load: async () => (await import('./attest.command')).registerAttestCommand },
  { name: 'bom', load: async () => (await import('./bom.command')).registerBomCommand },
  { name: 'profile', load: async () => (await import('./profile.command')).registerProfileCommand },
  { name: 'drift', load: async () => (await import('./drift.command')).registerDriftCommand },
  { name: 'check-data', load: async () => (await import('./check-data.command')).registerCheckDataCommand },
  { name: 'scan', load: async () => (await import('./scan.command')).registerScanCommand },
  { name: 'manifest', load: async () => (await import('./manifest.command')).registerManifestCommand },
];
