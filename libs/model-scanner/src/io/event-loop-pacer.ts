/**
 * Scans on the calling thread read synchronously, so they never give the event loop a turn on their
 * own. A host that must stay responsive while it scans (a Temporal worker: heartbeats, cancellation,
 * its other tasks) asks for a turn every few milliseconds; the CLI does not ask and pays nothing.
 */

/** When this thread's event loop last had a turn (one scan at a time or many: they share the thread). */
let lastTurn = performance.now();

/** Yields to the event loop (timers and I/O run) when `everyMs` has passed since its last turn. */
export async function paceEventLoop(everyMs: number | undefined): Promise<void> {
  if (everyMs === undefined || performance.now() - lastTurn < everyMs) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
}
