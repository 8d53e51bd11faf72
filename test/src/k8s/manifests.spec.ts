import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { WORKER_CAPABILITIES, telemetryEnv, temporalEnv } from '@mlsecops/config';
import { SEARCH_ATTRIBUTES, TOPIC_SPECS, TOPICS } from '@mlsecops/contracts';
import { workerConfigSchema } from '@mlsecops/worker';
// The router's index does not export its config schema (yet); this is the same object its module validates with.
import { routerConfigSchema } from '@mlsecops/event-router';
import type { ManifestFacts } from './manifest-checks';
import { checkManifests } from './manifest-checks';
import type { K8sObject } from './render-kustomization';
import {
  K8S_DIR,
  allContainers,
  isRecord,
  parseYamlDocuments,
  parseYamlFile,
  podSpecOf,
  renderKustomization,
} from './render-kustomization';

/** The prebuilt bundle's place in the image: the build stage's WORKDIR plus what tools/bundle-workflows.js writes. */
function bundlePathFromDockerfile(): string {
  const workdir = /^WORKDIR\s+(\S+)\s*$/m.exec(readFileSync(join(K8S_DIR, 'Dockerfile'), 'utf8'))?.[1];
  if (!workdir) throw new Error('infra/k8s/Dockerfile has no WORKDIR');
  return posix.join(workdir, 'workflows/dist/workflow-bundle.js');
}

const facts: ManifestFacts = {
  appSchemas: { 'event-router': routerConfigSchema, worker: workerConfigSchema },
  telemetrySchema: telemetryEnv,
  temporalSchema: temporalEnv,
  sdkVariables: ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_RESOURCE_ATTRIBUTES'],
  mustBeExplicit: ['KAFKA_BROKERS', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE'],
  workerCapabilities: WORKER_CAPABILITIES,
  searchAttributes: Object.values(SEARCH_ATTRIBUTES),
  intakePartitions: TOPIC_SPECS.find((t) => t.name === TOPICS.lifecycle)?.partitions ?? 0,
  workflowBundlePath: bundlePathFromDockerfile(),
};

const KUSTOMIZATIONS = ['base', 'overlays/example'];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function deployment(objects: K8sObject[], name: string): K8sObject {
  const d = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === name);
  if (!d) throw new Error(`no Deployment ${name}`);
  return d;
}

function envEntry(d: K8sObject, name: string): Record<string, unknown> {
  const env = (podSpecOf(d)?.containers as Record<string, unknown>[])[0]?.env as Record<string, unknown>[];
  const entry = env.find((e) => e.name === name);
  if (!entry) throw new Error(`no env ${name}`);
  return entry;
}

function configMap(objects: K8sObject[]): Record<string, string> {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'mlsecops-env');
  if (!cm || !isRecord(cm.data)) throw new Error('no ConfigMap mlsecops-env');
  return cm.data as Record<string, string>;
}

describe('cluster manifests (infra/k8s)', () => {
  it('parses every YAML file', () => {
    const files = yamlFiles(K8S_DIR);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(() => parseYamlFile(file)).not.toThrow();
  });

  describe.each(KUSTOMIZATIONS)('%s', (dir) => {
    const objects = renderKustomization(join(K8S_DIR, dir));

    it('renders the apps and what they need', () => {
      const ids = objects.map((o) => `${String(o.kind)}/${String(o.metadata?.name)}`);
      expect(ids).toEqual(
        expect.arrayContaining([
          'Namespace/mlsecops',
          'ConfigMap/mlsecops-env',
          'ServiceAccount/mlsecops',
          'Deployment/event-router',
          'Deployment/worker-orchestration',
          'Deployment/worker-activities',
          'Job/register-search-attributes',
        ]),
      );
    });

    it('passes every check, with env parsed by the apps’ own config schemas', () => {
      expect(checkManifests(objects, facts)).toEqual([]);
    });
  });

  it('the example overlay points the apps at its own Kafka, Temporal and image tags', () => {
    const base = renderKustomization(join(K8S_DIR, 'base'));
    const example = renderKustomization(join(K8S_DIR, 'overlays/example'));
    for (const key of ['KAFKA_BROKERS', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']) {
      expect(configMap(example)[key]).not.toEqual(configMap(base)[key]);
    }
    expect(configMap(example).KAFKA_BROKERS?.split(',')).toHaveLength(3);
    expect(envEntry(deployment(example, 'event-router'), 'ROUTER_PARTITIONS_CONCURRENCY').value).toBe('2');
    for (const c of allContainers(example)) expect(String(c.image)).toMatch(/:[\w][\w.-]*$/);
  });

  describe('fails on a broken manifest', () => {
    const mutations: [string, (objects: K8sObject[]) => void, RegExp][] = [
      [
        'a renamed variable',
        (o) => {
          const data = configMap(o);
          data.KAFKA_BROKER = data.KAFKA_BROKERS ?? '';
          delete data.KAFKA_BROKERS;
        },
        /Deployment\/event-router: sets KAFKA_BROKER, which event-router does not read/,
      ],
      [
        'a value the schema rejects',
        (o) => {
          envEntry(deployment(o, 'worker-activities'), 'WORKER_CAPABILITIES').value = 'data-check,results';
        },
        /worker-activities: worker config rejects WORKER_CAPABILITIES/,
      ],
      [
        'a relative artifact root',
        (o) => {
          envEntry(deployment(o, 'worker-activities'), 'MLSECOPS_ARTIFACT_ROOT').value = 'artifacts';
        },
        /worker config rejects MLSECOPS_ARTIFACT_ROOT: expected an absolute path/,
      ],
      [
        'a writable root filesystem',
        (o) => {
          const c = (
            podSpecOf(deployment(o, 'event-router'))?.containers as Record<string, Record<string, unknown>>[]
          )[0];
          if (c?.securityContext) c.securityContext.readOnlyRootFilesystem = false;
        },
        /event-router: container event-router: securityContext.readOnlyRootFilesystem must be true/,
      ],
      [
        'missing limits',
        (o) => {
          const c = (
            podSpecOf(deployment(o, 'worker-orchestration'))?.containers as Record<string, Record<string, unknown>>[]
          )[0];
          if (c) c.resources = { requests: { cpu: '100m', memory: '128Mi' } };
        },
        /worker-orchestration: container worker: resources.limits.memory is required/,
      ],
      [
        'a PDB that selects nothing',
        (o) => {
          const pdb = o.find((x) => x.kind === 'PodDisruptionBudget' && x.metadata?.name === 'worker-activities');
          (pdb?.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels[
            'app.kubernetes.io/component'
          ] = 'activity';
        },
        /PodDisruptionBudget\/worker-activities: selects 0 Deployments/,
      ],
      [
        'a selector that misses its pods',
        (o) => {
          const spec = deployment(o, 'event-router').spec as { selector: { matchLabels: Record<string, string> } };
          spec.selector.matchLabels['app.kubernetes.io/name'] = 'router';
        },
        /Deployment\/event-router: spec.selector does not match the pod template labels/,
      ],
      [
        'artifacts mounted writable',
        (o) => {
          const c = (podSpecOf(deployment(o, 'worker-activities'))?.containers as Record<string, unknown>[])[0];
          for (const m of (c?.volumeMounts ?? []) as Record<string, unknown>[]) delete m.readOnly;
        },
        /worker-activities: MLSECOPS_ARTIFACT_ROOT must be on a read-only volume mount/,
      ],
      [
        'a task queue nobody polls',
        (o) => {
          envEntry(deployment(o, 'worker-activities'), 'WORKER_CAPABILITIES').value = 'data-checks,model-scan,signing';
        },
        /no worker Deployment serves results/,
      ],
      [
        'more routers than intake partitions',
        (o) => {
          (deployment(o, 'event-router').spec as { replicas: number }).replicas = 7;
        },
        /event-router: 7 replicas but the intake topic has 6 partitions/,
      ],
      [
        'a search attribute left out',
        (o) => {
          const job = o.find((x) => x.kind === 'Job');
          const c = (podSpecOf(job as K8sObject)?.containers as Record<string, unknown>[])[0] as { args: string[] };
          c.args = c.args.map((a) => a.replace(' Verdict', ''));
        },
        /register-search-attributes: does not register search attribute Verdict/,
      ],
      [
        'an unknown kind',
        (o) => {
          o.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'router', namespace: 'mlsecops' } });
        },
        /Service\/router: no checks for kind Service/,
      ],
    ];

    it.each(mutations)('%s', (_what, mutate, expected) => {
      const objects = renderKustomization(join(K8S_DIR, 'base'));
      mutate(objects);
      expect(checkManifests(objects, facts).join('\n')).toMatch(expected);
    });
  });

  // The hand renderer above is a subset of Kustomize; where kubectl is installed, hold it to the real one.
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  (kubectl ? it.each(KUSTOMIZATIONS) : it.skip.each(KUSTOMIZATIONS))(
    'renders %s as `kubectl kustomize` does',
    (dir) => {
      const run = spawnSync('kubectl', ['kustomize', join(K8S_DIR, dir)], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const ours = renderKustomization(join(K8S_DIR, dir));
      // Kustomize suffixes generated ConfigMaps with a content hash and rewrites references to match.
      const hashed = new Map<string, string>();
      const theirs = parseYamlDocuments(run.stdout, `kubectl kustomize ${dir}`) as K8sObject[];
      for (const o of theirs) {
        const name = String(o.metadata?.name);
        const plain = name.replace(/-[a-z0-9]{10}$/, '');
        if (o.kind === 'ConfigMap' && plain !== name) hashed.set(name, plain);
      }
      const unhash = (v: unknown): unknown =>
        typeof v === 'string'
          ? (hashed.get(v) ?? v)
          : Array.isArray(v)
            ? v.map(unhash)
            : isRecord(v)
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unhash(x)]))
              : v;
      const byId = (list: unknown[]): Record<string, unknown> =>
        Object.fromEntries((list as K8sObject[]).map((o) => [`${String(o.kind)}/${String(o.metadata?.name)}`, o]));
      expect(byId(ours)).toEqual(byId(theirs.map(unhash)));
    },
  );
});
