import 'reflect-metadata';
import { startTelemetryFromEnv } from '@mlsecops/telemetry';
import { runCli } from './program';

// A trace starts here for commands that publish, so the platform's work joins the caller's trace.
const telemetry = startTelemetryFromEnv('mlsecops-cli', 'none');

void runCli(process.argv.slice(2))
  .then(async (code) => {
    await telemetry.shutdown();
    process.exitCode = code;
  });
