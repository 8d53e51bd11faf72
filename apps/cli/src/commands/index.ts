import type { Command } from 'commander';
import { registerSignCommand } from './sign.command';
import { registerVerifyCommand } from './verify.command';
import { registerProfileCommand } from './profile.command';
import { registerDriftCommand } from './drift.command';

/** Each command file exports one `register*Command(program)`; list it here to add it to the CLI. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerSignCommand,
  registerVerifyCommand,
  registerProfileCommand,
  registerDriftCommand,
];
