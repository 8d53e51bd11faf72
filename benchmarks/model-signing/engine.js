#!/usr/bin/env node
'use strict';
// Signs or verifies through the built engine directly (no CLI start-up), for the benchmark's
// "engine" rows: usage: node engine.js sign|verify MODEL KEY.pem|KEY.pub SIG
const { readFileSync, writeFileSync } = require('node:fs');
const {
  keySigner,
  loadPrivateKey,
  loadPublicKey,
  signModel,
  verifyModel,
} = require('../../libs/model-signing/dist/index.js');

async function main() {
  const [op, model, key, sig] = process.argv.slice(2);
  if (op === 'sign') {
    const signed = await signModel({
      modelPath: model,
      signer: keySigner(loadPrivateKey(readFileSync(key))),
      signaturePath: sig,
    });
    writeFileSync(sig, signed.json);
    return 0;
  }
  const result = await verifyModel({
    modelPath: model,
    bundleJson: readFileSync(sig, 'utf8'),
    signaturePath: sig,
    publicKey: loadPublicKey(readFileSync(key)),
  });
  if (!result.valid) process.stderr.write(`${result.message}\n`);
  return result.valid ? 0 : 1;
}
main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
