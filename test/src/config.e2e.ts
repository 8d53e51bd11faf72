import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './harness/test-stack';

/** The real app binaries refuse to start on bad configuration and name the variable and the reason. */
describe('start-up configuration', () => {
  const start = (app: string, env: Record<string, string>): { status: number | null; output: string } => {
    const r = spawnSync(process.execPath, [join(repoRoot, `apps/${app}/dist/main.js`)], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', OTEL_TRACES_EXPORTER: 'none', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  it('router: a malformed broker list stops start-up', () => {
    const r = start('event-router', { KAFKA_BROKERS: 'no-port-here' });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/KAFKA_BROKERS: expected host:port \(got "no-port-here"\)/);
  });

  it('worker: relative or missing directories stop start-up, each named', () => {
    const r = start('worker', {
      MLSECOPS_ARTIFACT_ROOT: 'relative/dir',
      WORKER_CAPABILITIES: 'orchestration,teleport',
    });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/MLSECOPS_ARTIFACT_ROOT: expected an absolute path/);
    expect(r.output).toMatch(/MLSECOPS_EVIDENCE_DIR: .*unset/);
    expect(r.output).toMatch(/WORKER_CAPABILITIES/);
  });

  it('telemetry: an unknown exporter stops start-up', () => {
    const r = start('event-router', { OTEL_TRACES_EXPORTER: 'zipkin' });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/OTEL_TRACES_EXPORTER/);
  });
});
