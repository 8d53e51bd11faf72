import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One rendered Kubernetes object, as plain JSON. */
export type K8sObject = Record<string, unknown> & {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; labels?: Record<string, string> } & Record<string, unknown>;
};

/**
 * The Kustomize features infra/k8s uses, rendered without kubectl: `resources` (files and directories
 * with their own kustomization), `namespace`, `configMapGenerator` (literals; `create` and `merge`),
 * `images`, `replicas` and strategic-merge `patches` by path. Any other field throws, so a
 * kustomization that grows past this subset fails the test instead of being validated half-rendered.
 * Generated ConfigMaps keep their plain name (Kustomize appends a content hash and rewrites the
 * references to it; both sides of a reference stay consistent either way).
 */
export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  const k = parseYamlFile(file)[0];
  if (!isRecord(k)) throw new Error(`${file}: not a mapping`);
  const known = new Set([
    'apiVersion',
    'kind',
    'resources',
    'namespace',
    'configMapGenerator',
    'images',
    'replicas',
    'patches',
  ]);
  for (const key of Object.keys(k)) {
    if (!known.has(key))
      throw new Error(`${file}: field "${key}" is not rendered by this test; extend render-kustomization.ts`);
  }

  const out: K8sObject[] = [];
  for (const entry of asList(k.resources, `${file}: resources`)) {
    const path = resolve(dir, String(entry));
    out.push(...(statSync(path).isDirectory() ? renderKustomization(path) : (parseYamlFile(path) as K8sObject[])));
  }
  for (const gen of asList(k.configMapGenerator, `${file}: configMapGenerator`))
    applyConfigMapGenerator(out, gen, file);
  for (const patch of asList(k.patches, `${file}: patches`)) {
    if (!isRecord(patch) || typeof patch.path !== 'string' || Object.keys(patch).length !== 1) {
      throw new Error(`${file}: only patches given as { path } are rendered`);
    }
    const patchFile = resolve(dir, patch.path);
    for (const doc of parseYamlFile(patchFile) as K8sObject[]) {
      const target = out.find((o) => o.kind === doc.kind && o.metadata?.name === doc.metadata?.name);
      if (!target) throw new Error(`${patchFile}: no ${String(doc.kind)} named ${String(doc.metadata?.name)} to patch`);
      out[out.indexOf(target)] = strategicMerge(target, doc, '') as K8sObject;
    }
  }
  for (const r of asList(k.replicas, `${file}: replicas`)) {
    if (!isRecord(r)) throw new Error(`${file}: replicas entries are { name, count }`);
    const target = out.find((o) => o.metadata?.name === r.name && isRecord(o.spec) && 'replicas' in o.spec);
    if (!target || !isRecord(target.spec)) throw new Error(`${file}: replicas: no workload named ${String(r.name)}`);
    target.spec.replicas = r.count;
  }
  for (const img of asList(k.images, `${file}: images`)) applyImage(out, img, file);
  if (k.namespace !== undefined) {
    for (const o of out) {
      if (!o.metadata) continue;
      // Kustomize renames Namespace objects to the kustomization's namespace; everything else is namespaced here.
      if (o.kind === 'Namespace') o.metadata.name = k.namespace;
      else o.metadata.namespace = k.namespace;
    }
  }
  return out;
}

function applyConfigMapGenerator(out: K8sObject[], gen: unknown, file: string): void {
  if (!isRecord(gen) || typeof gen.name !== 'string')
    throw new Error(`${file}: configMapGenerator entries need a name`);
  for (const key of Object.keys(gen)) {
    if (!['name', 'literals', 'behavior'].includes(key))
      throw new Error(`${file}: configMapGenerator.${key} is not rendered`);
  }
  const data: Record<string, string> = {};
  for (const literal of asList(gen.literals, `${file}: ${gen.name}.literals`)) {
    const text = String(literal);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new Error(`${file}: literal "${text}" is not KEY=value`);
    data[text.slice(0, eq)] = text.slice(eq + 1);
  }
  const behavior = gen.behavior ?? 'create';
  const existing = out.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === gen.name);
  if (behavior === 'create') {
    if (existing) throw new Error(`${file}: ConfigMap ${gen.name} already exists; use behavior: merge`);
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: gen.name }, data });
  } else if (behavior === 'merge') {
    if (!existing) throw new Error(`${file}: no ConfigMap ${gen.name} to merge into`);
    existing.data = { ...(existing.data as Record<string, string>), ...data };
  } else {
    throw new Error(`${file}: configMapGenerator behavior ${JSON.stringify(behavior)} is not rendered`);
  }
}

function applyImage(out: K8sObject[], img: unknown, file: string): void {
  if (!isRecord(img) || typeof img.name !== 'string') throw new Error(`${file}: images entries need a name`);
  for (const key of Object.keys(img)) {
    if (!['name', 'newName', 'newTag'].includes(key)) throw new Error(`${file}: images.${key} is not rendered`);
  }
  for (const container of allContainers(out)) {
    const image = String(container.image);
    const colon = image.lastIndexOf(':');
    const [name, tag] = colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, ''];
    if (name !== img.name) continue;
    const newName = typeof img.newName === 'string' ? img.newName : name;
    const newTag = typeof img.newTag === 'string' || typeof img.newTag === 'number' ? String(img.newTag) : tag;
    container.image = newTag ? `${newName}:${newTag}` : newName;
  }
}

/** Lists whose items Kubernetes merges by a key (the patchMergeKey of the field), not by replacement. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
};

function strategicMerge(base: unknown, patch: unknown, field: string): unknown {
  if (isRecord(patch) && '$patch' in patch) throw new Error('$patch directives are not rendered');
  if (Array.isArray(base) && Array.isArray(patch) && MERGE_KEYS[field]) {
    // Kustomize puts the patch's items first, in the patch's order, then the base's untouched ones. Order
    // matters: an env entry's $(VAR) sees only the entries before it.
    const key = MERGE_KEYS[field];
    const baseItems = base as unknown[];
    const patchItems = patch as unknown[];
    const sameKey = (a: unknown, b: unknown): boolean => isRecord(a) && isRecord(b) && a[key] === b[key];
    const fromPatch = patchItems.map((item) => {
      const match = baseItems.find((b) => sameKey(b, item));
      return match === undefined ? item : strategicMerge(match, item, '');
    });
    return [...fromPatch, ...baseItems.filter((b) => !patchItems.some((item) => sameKey(b, item)))];
  }
  if (isRecord(base) && isRecord(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = k in base ? strategicMerge(base[k], v, k) : v;
    }
    return merged;
  }
  return patch;
}

/** Every container (init and regular) of every pod template in the set, live objects to mutate or read. */
export function allContainers(objects: readonly K8sObject[]): Record<string, unknown>[] {
  return objects.flatMap((o) => {
    const pod = podSpecOf(o);
    if (!pod) return [];
    return [...asList(pod.initContainers, 'initContainers'), ...asList(pod.containers, 'containers')].filter(isRecord);
  });
}

/** The pod spec of a workload (Deployment, Job), or undefined for other kinds. */
export function podSpecOf(o: K8sObject): Record<string, unknown> | undefined {
  if (o.kind !== 'Deployment' && o.kind !== 'Job') return undefined;
  const spec = o.spec;
  if (!isRecord(spec) || !isRecord(spec.template) || !isRecord(spec.template.spec)) return undefined;
  return spec.template.spec;
}

export function parseYamlFile(file: string): unknown[] {
  return parseYamlDocuments(readFileSync(file, 'utf8'), file);
}

/** All documents of a YAML stream as plain values; any syntax error throws, naming `where`. */
export function parseYamlDocuments(text: string, where: string): unknown[] {
  return parseAllDocuments(text, { prettyErrors: true })
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as unknown;
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asList(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list`);
  return v;
}

/** Directory of this repository's cluster manifests. */
export const K8S_DIR = resolve(dirname(__filename), '..', '..', '..', 'infra', 'k8s');
