#!/usr/bin/env node
// Bundles the compiled CLI (apps/cli/dist, from tsc) and the workspace libraries it imports into one file,
// apps/cli/dist/bundle/mlsecops.js, plus one file per worker script those libraries start by path.
//
// Why: `mlsecops` is a short-lived process and loading ~60 small modules was a tenth of a directory scan
// (resolution, a read and a compile each); every scan helper thread paid it again. One file cuts about
// 15 ms from every start (docs/adr/0108). Third-party packages stay external and load from node_modules as
// before, except commander, which every command needs.
//
// apps/cli/bin/mlsecops.js runs the bundle only while it is newer than every file it was built from
// (bundle/inputs.json), so a build by `tsc -b` alone never runs stale code: it runs dist/main.js.
'use strict';
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'apps', 'cli', 'dist', 'bundle');
// Worker scripts the bundled libraries start with `new Worker(join(__dirname, name))`: inside the bundle
// __dirname is the bundle's directory, so each must be bundled there under the same name.
const WORKERS = {
  'scan-worker.js': 'libs/model-scanner/dist/scan-worker.js',
  'profile-worker.js': 'libs/data-checks/dist/profile/profile-worker.js',
};
const BUNDLED_PACKAGES = new Set(['commander']);

const thirdPartyExternal = {
  name: 'third-party-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@mlsecops/') || BUNDLED_PACKAGES.has(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

async function bundle(entry, outfile) {
  const result = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    plugins: [thirdPartyExternal],
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  return Object.keys(result.metafile.inputs);
}

/** Worker scripts named next to `__dirname` in the bundled code: each must be one of WORKERS. */
function checkWorkers(inputs) {
  const missing = new Set();
  for (const input of inputs) {
    if (input.includes('node_modules')) continue;
    const text = readFileSync(path.join(root, input), 'utf8');
    for (const m of text.matchAll(/join\)?\(__dirname,\s*['"]([\w.-]+\.js)['"]/g)) {
      if (!(m[1] in WORKERS)) missing.add(`${m[1]} (started by ${input})`);
    }
  }
  if (missing.size > 0) throw new Error(`worker scripts not bundled: ${[...missing].join(', ')}; add them to WORKERS`);
}

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const inputs = new Set(await bundle('apps/cli/dist/main.js', path.join(out, 'mlsecops.js')));
  for (const [name, entry] of Object.entries(WORKERS)) {
    for (const i of await bundle(entry, path.join(out, name))) inputs.add(i);
  }
  checkWorkers(inputs);
  // Relative to the repository root (esbuild's working directory above).
  const list = [...inputs].sort();
  writeFileSync(path.join(out, 'inputs.json'), `${JSON.stringify(list, null, 1)}\n`);
  console.log(
    `CLI bundle: ${path.relative(process.cwd(), out)} (${list.length} inputs, ${Object.keys(WORKERS).length} workers)`,
  );
}

main().catch((e) => {
  console.error(`bundle-cli: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
