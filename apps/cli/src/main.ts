import { runCli } from './program';

// Commands load their heavy clients (Kafka, Temporal, OpenTelemetry) on demand, so `sign`, `scan` and
// friends start in a fraction of the time.
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
