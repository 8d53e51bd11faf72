'use strict';
// Which compiled program `mlsecops` runs: the one-file bundle (tools/bundle-cli.js, faster to start) while
// it is newer than every file it was built from, else tsc's dist/main.js. So a build by `tsc -b` alone,
// after the bundle was made, never runs stale code. Plain JavaScript: it runs before anything is loaded.
const fs = require('node:fs');
const path = require('node:path');

/** True when every input listed in bundleDir/inputs.json exists and is not newer than the bundle. */
function bundleIsFresh(bundleDir, repoRoot) {
  try {
    const built = fs.statSync(path.join(bundleDir, 'mlsecops.js')).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(path.join(bundleDir, 'inputs.json'), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return false;
    for (const input of inputs) if (fs.statSync(path.join(repoRoot, input)).mtimeMs > built) return false;
    return true;
  } catch {
    return false;
  }
}

/** The script to run for the CLI whose build output is `distDir`, or undefined when it is not built. */
function cliEntry(distDir, repoRoot) {
  const bundleDir = path.join(distDir, 'bundle');
  if (bundleIsFresh(bundleDir, repoRoot)) return path.join(bundleDir, 'mlsecops.js');
  const main = path.join(distDir, 'main.js');
  return fs.existsSync(main) ? main : undefined;
}

module.exports = { bundleIsFresh, cliEntry };
