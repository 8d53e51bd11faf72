import type { z } from 'zod';
import type { K8sObject } from './render-kustomization';
import { asList, isRecord, podSpecOf } from './render-kustomization';

/** What the manifests are checked against: the apps' real config schemas and the platform's facts. */
export interface ManifestFacts {
  /** Config schema of each app, by the app part of its image name `mlsecops/<app>:<tag>`. */
  readonly appSchemas: Readonly<Record<string, z.ZodObject>>;
  /** The OTEL_* slice every app reads through its telemetry bootstrap. */
  readonly telemetrySchema: z.ZodObject;
  /** The Temporal connection slice, also read by the search attribute Job. */
  readonly temporalSchema: z.ZodObject;
  /** Read by the OpenTelemetry SDK itself, not by our schemas. */
  readonly sdkVariables: readonly string[];
  /** Connection settings whose schema defaults (loopback) are wrong on any cluster. */
  readonly mustBeExplicit: readonly string[];
  readonly workerCapabilities: readonly string[];
  readonly searchAttributes: readonly string[];
  readonly intakePartitions: number;
  /** Where the image puts the prebuilt workflow bundle. */
  readonly workflowBundlePath: string;
}

type Env = Record<string, string>;
type Labels = Record<string, string>;

const NAMESPACED = new Set([
  'ServiceAccount',
  'ConfigMap',
  'PersistentVolumeClaim',
  'NetworkPolicy',
  'Deployment',
  'Job',
  'PodDisruptionBudget',
]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const APP_IMAGE = /^(?:[^\s:]+\/)?mlsecops\/([a-z0-9-]+):([\w][\w.-]*)$/;
const PINNED_IMAGE = /^[^\s:]+(?::\d+)?\/?[^\s:]*:(?!latest$)[\w][\w.-]*$/;

/**
 * Every problem found in a rendered set of manifests, as readable sentences; empty when all is well.
 * Checks are collected, not thrown, so one run shows everything that is wrong.
 */
export function checkManifests(objects: readonly K8sObject[], facts: ManifestFacts): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const id = idOf(o);
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      problems.push(`${id}: apiVersion, kind and metadata.name are required`);
      continue;
    }
    if (!DNS_LABEL.test(o.metadata.name) || o.metadata.name.length > 63)
      problems.push(`${id}: name is not a DNS label`);
    if (seen.has(id)) problems.push(`${id}: defined twice`);
    seen.add(id);
    const check = KIND_CHECKS[o.kind];
    if (!check) problems.push(`${id}: no checks for kind ${o.kind}; add them to manifest-checks.ts`);
    else problems.push(...check(o).map((p) => `${id}: ${p}`));
  }
  problems.push(...checkNamespaces(objects));
  for (const o of objects) {
    if (podSpecOf(o)) problems.push(...checkPod(o, objects).map((p) => `${idOf(o)}: ${p}`));
  }
  problems.push(...checkSelectors(objects));
  problems.push(...checkApps(objects, facts));
  problems.push(...checkSearchAttributeJob(objects, facts));
  return problems;
}

const KIND_CHECKS: Record<string, (o: K8sObject) => string[]> = {
  Namespace: () => [],
  ServiceAccount: () => [],
  ConfigMap: (o) =>
    isRecord(o.data) && Object.values(o.data).every((v) => typeof v === 'string')
      ? []
      : ['data must map names to strings'],
  PersistentVolumeClaim: (o) => {
    const spec = record(o.spec);
    return [
      ...(asList(spec.accessModes, 'accessModes').length > 0 ? [] : ['spec.accessModes is required']),
      ...(typeof record(record(spec.resources).requests).storage === 'string'
        ? []
        : ['spec.resources.requests.storage is required']),
    ];
  },
  NetworkPolicy: (o) => (isRecord(record(o.spec).podSelector) ? [] : ['spec.podSelector is required']),
  Deployment: (o) => {
    const spec = record(o.spec);
    const selector = matchLabels(spec.selector);
    const podLabels = labelsOf(record(record(spec.template).metadata).labels);
    return [
      ...(Number.isInteger(spec.replicas) && (spec.replicas as number) >= 1
        ? []
        : ['spec.replicas must be a positive integer']),
      ...(selector && Object.keys(selector).length > 0
        ? []
        : ['spec.selector.matchLabels is required (and nothing else)']),
      ...(selector && matches(selector, podLabels) ? [] : ['spec.selector does not match the pod template labels']),
      ...(asList(record(record(spec.template).spec).containers, 'containers').length > 0 ? [] : ['no containers']),
    ];
  },
  Job: (o) => {
    const pod = record(record(record(o.spec).template).spec);
    return [
      ...(pod.restartPolicy === 'Never' || pod.restartPolicy === 'OnFailure'
        ? []
        : ['restartPolicy must be Never or OnFailure']),
      ...(asList(pod.containers, 'containers').length > 0 ? [] : ['no containers']),
    ];
  },
  PodDisruptionBudget: (o) => {
    const spec = record(o.spec);
    const selector = matchLabels(spec.selector);
    return [
      ...(selector && Object.keys(selector).length > 0
        ? []
        : ['spec.selector.matchLabels is required (and nothing else)']),
      ...('minAvailable' in spec !== 'maxUnavailable' in spec
        ? []
        : ['exactly one of minAvailable and maxUnavailable']),
    ];
  },
};

function checkNamespaces(objects: readonly K8sObject[]): string[] {
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => String(o.metadata?.name));
  if (namespaces.length !== 1) return [`expected exactly one Namespace, found ${namespaces.length}`];
  return objects
    .filter((o) => NAMESPACED.has(String(o.kind)) && o.metadata?.namespace !== namespaces[0])
    .map((o) => `${idOf(o)}: must live in namespace ${namespaces[0]}, is in ${String(o.metadata?.namespace)}`);
}

function checkPod(o: K8sObject, objects: readonly K8sObject[]): string[] {
  const pod = podSpecOf(o) ?? {};
  const problems: string[] = [];
  const sa = pod.serviceAccountName;
  if (typeof sa !== 'string' || !objects.some((x) => x.kind === 'ServiceAccount' && x.metadata?.name === sa)) {
    problems.push(`serviceAccountName ${String(sa)} is not a ServiceAccount defined here`);
  }
  if (pod.automountServiceAccountToken !== false)
    problems.push('automountServiceAccountToken must be false (no API access)');
  const grace = pod.terminationGracePeriodSeconds;
  if (typeof grace !== 'number' || grace < 30)
    problems.push('terminationGracePeriodSeconds must be at least 30 (drain on SIGTERM)');

  const volumes = new Map(
    asList(pod.volumes, 'volumes')
      .filter(isRecord)
      .map((v) => [String(v.name), v]),
  );
  for (const v of volumes.values()) {
    const claim = isRecord(v.persistentVolumeClaim) ? v.persistentVolumeClaim.claimName : undefined;
    if (claim !== undefined && !objects.some((x) => x.kind === 'PersistentVolumeClaim' && x.metadata?.name === claim)) {
      problems.push(`volume ${String(v.name)}: no PersistentVolumeClaim ${JSON.stringify(claim)}`);
    }
  }
  const podLabels = labelsOf(record(record(record(o.spec).template).metadata).labels);
  for (const c of asList(pod.topologySpreadConstraints, 'topologySpreadConstraints').filter(isRecord)) {
    const sel = matchLabels(c.labelSelector);
    if (!sel || !matches(sel, podLabels)) problems.push('a topologySpreadConstraint does not select its own pods');
  }

  const podSecurity = record(pod.securityContext);
  const containers = [...asList(pod.initContainers, 'initContainers'), ...asList(pod.containers, 'containers')].filter(
    isRecord,
  );
  for (const c of containers) {
    const where = `container ${String(c.name)}`;
    if (typeof c.image !== 'string' || !PINNED_IMAGE.test(c.image))
      problems.push(`${where}: image must be set with a tag other than latest`);
    const res = record(c.resources);
    for (const [kind, q] of [
      ['requests', 'cpu'],
      ['requests', 'memory'],
      ['limits', 'cpu'],
      ['limits', 'memory'],
    ] as const) {
      const v = record(res[kind])[q];
      if (typeof v !== 'string' && typeof v !== 'number') problems.push(`${where}: resources.${kind}.${q} is required`);
    }
    problems.push(...checkSecurity(record(c.securityContext), podSecurity).map((p) => `${where}: ${p}`));
    if (asList(c.ports, 'ports').length > 0) problems.push(`${where}: declares ports, but the apps serve nothing`);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const p = record(c[probe]);
      if ('httpGet' in p || 'tcpSocket' in p || 'grpc' in p)
        problems.push(`${where}: ${probe} probes a port; the apps listen on none`);
    }
    for (const m of asList(c.volumeMounts, 'volumeMounts').filter(isRecord)) {
      if (!volumes.has(String(m.name))) problems.push(`${where}: mounts undefined volume ${String(m.name)}`);
    }
    problems.push(...resolveEnv(c, objects).problems.map((p) => `${where}: ${p}`));
  }
  return problems;
}

/** The container's effective security settings, the container's own winning over the pod's. */
function checkSecurity(container: Record<string, unknown>, pod: Record<string, unknown>): string[] {
  const pick = (key: string): unknown => (key in container ? container[key] : pod[key]);
  const caps = record(container.capabilities);
  const problems: string[] = [];
  if (pick('runAsNonRoot') !== true) problems.push('securityContext.runAsNonRoot must be true');
  if (pick('runAsUser') === 0) problems.push('securityContext.runAsUser must not be 0');
  if (container.allowPrivilegeEscalation !== false)
    problems.push('securityContext.allowPrivilegeEscalation must be false');
  if (container.readOnlyRootFilesystem !== true) problems.push('securityContext.readOnlyRootFilesystem must be true');
  if (container.privileged === true) problems.push('securityContext.privileged must not be set');
  if (!asList(caps.drop, 'drop').includes('ALL')) problems.push('securityContext.capabilities.drop must include ALL');
  if (asList(caps.add, 'add').length > 0) problems.push('securityContext.capabilities.add must be empty');
  if (record(pick('seccompProfile')).type !== 'RuntimeDefault')
    problems.push('securityContext.seccompProfile.type must be RuntimeDefault');
  return problems;
}

/**
 * The environment the container starts with, as the kubelet builds it: envFrom ConfigMaps first, then
 * `env` entries in order ($(VAR) expanded from what is already defined). Downward API values become
 * placeholders, which is enough for the schemas (none of them parses a pod name).
 */
export function resolveEnv(
  c: Record<string, unknown>,
  objects: readonly K8sObject[],
): { env: Env; explicit: Set<string>; problems: string[] } {
  const env: Env = {};
  const explicit = new Set<string>();
  const problems: string[] = [];
  const configMap = (name: unknown): Env | undefined => {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name);
    return cm && isRecord(cm.data) ? (cm.data as Env) : undefined;
  };
  for (const from of asList(c.envFrom, 'envFrom').filter(isRecord)) {
    const ref = record(from.configMapRef);
    const data = configMap(ref.name);
    if (!isRecord(from.configMapRef) || 'prefix' in from)
      problems.push('envFrom: only configMapRef without prefix is supported');
    else if (!data) problems.push(`envFrom: no ConfigMap ${String(ref.name)}`);
    else Object.assign(env, data);
  }
  for (const e of asList(c.env, 'env').filter(isRecord)) {
    const name = String(e.name);
    explicit.add(name);
    if (typeof e.value === 'string') {
      env[name] = e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, ref: string) => env[ref] ?? whole);
    } else if (isRecord(e.valueFrom) && isRecord(e.valueFrom.configMapKeyRef)) {
      const { name: cmName, key } = e.valueFrom.configMapKeyRef;
      const value = configMap(cmName)?.[String(key)];
      if (value === undefined) problems.push(`env ${name}: ConfigMap ${String(cmName)} has no key ${String(key)}`);
      else env[name] = value;
    } else if (isRecord(e.valueFrom) && isRecord(e.valueFrom.fieldRef)) {
      env[name] = `<${String(e.valueFrom.fieldRef.fieldPath)}>`;
    } else {
      problems.push(`env ${name}: only value, configMapKeyRef and fieldRef are supported`);
    }
  }
  return { env, explicit, problems };
}

function checkSelectors(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const podLabels = (d: K8sObject): Labels => labelsOf(record(record(record(d.spec).template).metadata).labels);
  for (const a of deployments) {
    const sel = matchLabels(record(a.spec).selector) ?? {};
    for (const b of deployments) {
      if (a !== b && matches(sel, podLabels(b)))
        problems.push(`${idOf(a)}: its selector also matches the pods of ${idOf(b)}`);
    }
  }
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const pdb of pdbs) {
    const sel = matchLabels(record(pdb.spec).selector) ?? {};
    const selected = deployments.filter((d) => matches(sel, podLabels(d)));
    if (selected.length !== 1)
      problems.push(`${idOf(pdb)}: selects ${selected.length} Deployments, expected exactly one`);
  }
  for (const d of deployments) {
    const covered = pdbs.filter((pdb) => matches(matchLabels(record(pdb.spec).selector) ?? {}, podLabels(d)));
    if (covered.length !== 1)
      problems.push(`${idOf(d)}: covered by ${covered.length} PodDisruptionBudgets, expected exactly one`);
  }
  for (const np of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    const sel = matchLabels(record(np.spec).podSelector) ?? {};
    if (!deployments.some((d) => matches(sel, podLabels(d))))
      problems.push(`${idOf(np)}: selects no Deployment's pods`);
  }
  return problems;
}

function checkApps(objects: readonly K8sObject[], facts: ManifestFacts): string[] {
  const problems: string[] = [];
  const served = new Set<string>();
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const id = idOf(d);
    const pod = podSpecOf(d) ?? {};
    const containers = asList(pod.containers, 'containers').filter(isRecord);
    if (containers.length !== 1) {
      problems.push(`${id}: expected one container per app pod`);
      continue;
    }
    const c = containers[0] as Record<string, unknown>;
    const app = APP_IMAGE.exec(String(c.image))?.[1];
    const schema = app === undefined ? undefined : facts.appSchemas[app];
    if (!app || !schema) {
      problems.push(
        `${id}: image ${String(c.image)} is not mlsecops/<app>:<tag> for a known app (${Object.keys(facts.appSchemas).join(', ')})`,
      );
      continue;
    }
    const { env, explicit } = resolveEnv(c, objects);
    const helpers = new Set(
      Object.values(env).flatMap((v) => [...v.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((m) => m[1])),
    );
    for (const e of asList(c.env, 'env').filter(isRecord)) {
      for (const m of (typeof e.value === 'string' ? e.value : '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g))
        helpers.add(m[1]);
    }
    // A renamed or misspelt variable would otherwise be ignored while the schema quietly applies its default.
    const known = new Set([
      ...Object.keys(schema.shape),
      ...Object.keys(facts.telemetrySchema.shape),
      ...facts.sdkVariables,
    ]);
    for (const name of Object.keys(env)) {
      if (!known.has(name) && !helpers.has(name)) problems.push(`${id}: sets ${name}, which ${app} does not read`);
    }
    for (const name of facts.mustBeExplicit) {
      if (name in schema.shape && !(name in env))
        problems.push(`${id}: ${name} must be set (its default is for a laptop)`);
    }
    for (const [what, s] of [
      [app, schema],
      ['telemetry', facts.telemetrySchema],
    ] as const) {
      const parsed = s.safeParse(env);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const name = String(issue.path[0] ?? '(root)');
          problems.push(`${id}: ${what} config rejects ${name}: ${issue.message} (got ${JSON.stringify(env[name])})`);
        }
      }
    }
    if (env.OTEL_TRACES_EXPORTER === 'otlp' && !/^https?:\/\/[^\s/]+/.test(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '')) {
      problems.push(`${id}: OTEL_TRACES_EXPORTER=otlp needs OTEL_EXPORTER_OTLP_ENDPOINT as an http(s) URL`);
    }

    if (app === 'event-router') {
      const replicas = record(d.spec).replicas;
      if (typeof replicas === 'number' && replicas > facts.intakePartitions) {
        problems.push(
          `${id}: ${replicas} replicas but the intake topic has ${facts.intakePartitions} partitions; the rest would idle`,
        );
      }
    }
    if (app === 'worker') problems.push(...checkWorker(id, c, pod, env, explicit, facts, served));
  }
  const missing = facts.workerCapabilities.filter((cap) => !served.has(cap));
  if (missing.length > 0)
    problems.push(`no worker Deployment serves ${missing.join(', ')}: those task queues would never be polled`);
  return problems;
}

function checkWorker(
  id: string,
  c: Record<string, unknown>,
  pod: Record<string, unknown>,
  env: Env,
  explicit: Set<string>,
  facts: ManifestFacts,
  served: Set<string>,
): string[] {
  const problems: string[] = [];
  if (!explicit.has('WORKER_CAPABILITIES'))
    problems.push(`${id}: WORKER_CAPABILITIES must be set on each worker Deployment`);
  const capabilities = (env.WORKER_CAPABILITIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const cap of capabilities) served.add(cap);
  if (capabilities.includes('orchestration') && env.WORKFLOW_BUNDLE_PATH !== facts.workflowBundlePath) {
    problems.push(
      `${id}: serves orchestration, so WORKFLOW_BUNDLE_PATH must be the image's bundle ${facts.workflowBundlePath}`,
    );
  }
  if (capabilities.some((cap) => cap !== 'orchestration')) {
    // Activities read artifacts and write evidence; the root filesystem is read-only, so both need mounts.
    const volumes = asList(pod.volumes, 'volumes').filter(isRecord);
    const mountFor = (path: string | undefined): Record<string, unknown> | undefined =>
      path === undefined
        ? undefined
        : asList(c.volumeMounts, 'volumeMounts')
            .filter(isRecord)
            .find((m) => path === m.mountPath || path.startsWith(`${String(m.mountPath)}/`));
    const artifacts = mountFor(env.MLSECOPS_ARTIFACT_ROOT);
    if (!artifacts || artifacts.readOnly !== true)
      problems.push(`${id}: MLSECOPS_ARTIFACT_ROOT must be on a read-only volume mount`);
    const evidence = mountFor(env.MLSECOPS_EVIDENCE_DIR);
    const evidenceVolume = volumes.find((v) => v.name === evidence?.name);
    if (!evidence || evidence.readOnly === true || !evidenceVolume || !isRecord(evidenceVolume.persistentVolumeClaim)) {
      problems.push(
        `${id}: MLSECOPS_EVIDENCE_DIR must be on a writable PersistentVolumeClaim mount (evidence outlives pods)`,
      );
    }
  }
  return problems;
}

function checkSearchAttributeJob(objects: readonly K8sObject[], facts: ManifestFacts): string[] {
  const jobs = objects.filter((o) => o.kind === 'Job');
  const registering = jobs.filter((j) =>
    asList(podSpecOf(j)?.containers, 'containers')
      .filter(isRecord)
      .some((c) => JSON.stringify([c.command, c.args]).includes('search-attribute create')),
  );
  if (registering.length !== 1)
    return [`expected one Job that registers the search attributes, found ${registering.length}`];
  const job = registering[0] as K8sObject;
  const problems: string[] = [];
  for (const c of asList(podSpecOf(job)?.containers, 'containers').filter(isRecord)) {
    const script = JSON.stringify([c.command, c.args]);
    for (const name of facts.searchAttributes) {
      if (!new RegExp(`\\b${name}\\b`).test(script))
        problems.push(`${idOf(job)}: does not register search attribute ${name}`);
    }
    if (!script.includes('Keyword')) problems.push(`${idOf(job)}: search attributes must be of type Keyword`);
    const { env } = resolveEnv(c, objects);
    for (const name of facts.mustBeExplicit.filter((n) => n in facts.temporalSchema.shape)) {
      if (!(name in env)) problems.push(`${idOf(job)}: ${name} must be set`);
    }
    const parsed = facts.temporalSchema.safeParse(env);
    if (!parsed.success)
      problems.push(`${idOf(job)}: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
  }
  return problems;
}

function idOf(o: K8sObject): string {
  return `${String(o.kind)}/${String(o.metadata?.name)}`;
}

function record(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

function labelsOf(v: unknown): Labels {
  return isRecord(v) ? (v as Labels) : {};
}

/** A selector's matchLabels, or undefined if it has none or uses anything else (matchExpressions). */
function matchLabels(selector: unknown): Labels | undefined {
  if (!isRecord(selector) || !isRecord(selector.matchLabels)) return undefined;
  if (Object.keys(selector).some((k) => k !== 'matchLabels')) return undefined;
  return selector.matchLabels as Labels;
}

function matches(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
