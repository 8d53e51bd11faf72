import { kafkaEnv, routerEnv, workerEnv } from './env-slices';
import { ConfigError, parseEnv } from './validate-env';

describe('env slices', () => {
  it('applies defaults', () => {
    const env = parseEnv(kafkaEnv.extend(routerEnv.shape), {});
    expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(env.ROUTER_PARTITIONS_CONCURRENCY).toBe(6);
  });

  it('names the variable and the reason when invalid', () => {
    expect(() => parseEnv(kafkaEnv, { KAFKA_BROKERS: 'nohost' })).toThrow(
      /KAFKA_BROKERS.*expected host:port.*"nohost"/s,
    );
    try {
      parseEnv(workerEnv, { MLSECOPS_ARTIFACT_ROOT: 'relative/dir', WORKER_CAPABILITIES: 'orchestration,telepathy' });
      throw new Error('expected a ConfigError');
    } catch (e: unknown) {
      expect(e).toBeInstanceOf(ConfigError);
      const issues = (e as ConfigError).issues.join('\n');
      expect(issues).toMatch(/MLSECOPS_ARTIFACT_ROOT: expected an absolute path/);
      expect(issues).toMatch(/MLSECOPS_EVIDENCE_DIR: .*unset/);
      expect(issues).toMatch(/WORKER_CAPABILITIES/);
    }
  });
});
