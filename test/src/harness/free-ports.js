// Finds a base port whose derived ports (Kafka port+1 for the controller; Temporal port+10 HTTP,
// +1000 UI) are all free on loopback, so a test run never collides with another stack on the machine.
'use strict';
const net = require('node:net');

function isFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freeBase(preferred, offsets, step = 100, tries = 40) {
  for (let i = 0; i < tries; i++) {
    const base = preferred + i * step;
    const checks = await Promise.all(offsets.map((o) => isFree(base + o)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no free ports near ${preferred} (tried ${tries} bases)`);
}

module.exports = { freeBase };
