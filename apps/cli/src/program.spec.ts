import { Command } from 'commander';
import { COMMANDS } from './commands';
import { buildProgram } from './program';

describe('command registry', () => {
  it('names each command exactly as its module registers it', async () => {
    for (const entry of COMMANDS) {
      const program = new Command('mlsecops');
      (await entry.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual([entry.name]);
    }
  });

  it('loads only the command named on the command line, and all of them otherwise', async () => {
    expect((await buildProgram(['scan', 'model.pkl'])).commands.map((c) => c.name())).toEqual(['scan']);
    expect((await buildProgram(['--help'])).commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });
});
