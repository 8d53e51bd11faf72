import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';
import { kafkaBrokers, repoRoot, temporalAddress } from './test-stack';

/** The real router binary as a child process: what operators run, killed and restarted like in production. */
export class RouterProcess {
  private child: ChildProcess | undefined;
  output = '';

  async start(): Promise<void> {
    this.output = '';
    this.child = spawn(process.execPath, [join(repoRoot, 'apps/event-router/dist/main.js')], {
      env: {
        ...process.env,
        KAFKA_BROKERS: kafkaBrokers,
        TEMPORAL_ADDRESS: temporalAddress,
        OTEL_TRACES_EXPORTER: 'none',
        NO_COLOR: '1',
        ROUTER_RETRY_INITIAL_MS: '200',
        ROUTER_RETRY_MAX_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer): void => {
      this.output += chunk.toString();
      if (process.env.MLSECOPS_TEST_ROUTER_LOG) process.stderr.write(chunk);
    };
    this.child.stdout?.on('data', append);
    this.child.stderr?.on('data', append);
    await waitFor(
      'router to join its consumer group',
      () => Promise.resolve(this.output.includes('consuming mlsecops.lifecycle') ? true : undefined),
      90_000,
    );
  }

  /** SIGKILL: no shutdown hooks, no final commit — the crash case. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful path. */
  terminate(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(sig);
    });
  }

  countOf(text: string): number {
    return this.output.split(text).length - 1;
  }
}
