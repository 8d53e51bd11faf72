#!/usr/bin/env node
// Scaffolds one Nx project (package.json, project.json, tsconfig, jest config, src/index.ts) so every
// project in the house has the same shape. Usage:
//   node tools/new-project.js libs/data-checks --tag type:engine [--deps contracts,config] [--app]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const dir = args[0];
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!dir || !opt('--tag')) {
  console.error('usage: node tools/new-project.js <libs/name|apps/name> --tag type:<kind> [--deps a,b] [--app]');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const abs = path.join(root, dir);
const name = path.basename(dir);
const isApp = args.includes('--app');
const deps = (opt('--deps') ?? '').split(',').filter(Boolean);
const up = path.relative(abs, root).split(path.sep).join('/');
const depDir = (d) => (d === 'workflows' ? 'workflows' : `libs/${d}`);

const write = (rel, content) => {
  const file = path.join(abs, rel);
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
};

write('package.json', {
  name: `@mlsecops/${name}`,
  version: '0.1.0',
  private: true,
  main: isApp ? 'dist/main.js' : 'dist/index.js',
  types: isApp ? undefined : 'dist/index.d.ts',
  dependencies: Object.fromEntries(deps.map((d) => [`@mlsecops/${d}`, '*'])),
});
write('project.json', {
  name,
  $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
  projectType: isApp ? 'application' : 'library',
  sourceRoot: `${dir}/src`,
  tags: [opt('--tag')],
});
write('tsconfig.json', {
  extends: `${up}/tsconfig.base.json`,
  compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.spec.ts', 'src/**/*.test-helpers.ts'],
  references: deps.map((d) => ({ path: `${up}/${depDir(d)}` })),
});
write('jest.config.js', `module.exports = require('${up}/jest.preset.js')(__dirname);\n`);
write(isApp ? 'src/main.ts' : 'src/index.ts', isApp ? '' : '');
console.log(`scaffolded ${dir} (@mlsecops/${name}); add it to tsconfig.build.json references`);
