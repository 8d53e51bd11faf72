import { BlobTooLargeError, head, readAll } from '../io/blob';
import type { Blob } from '../io/blob';
import { finding } from '../rules';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';

const KERAS_MODULE = /^(keras|tf_keras|keras_hub|keras_nlp|keras_cv|tensorflow\.keras|tensorflow\.python\.keras)(\.|$)/;

/** A node of the config being walked; its JSON path is spelled out only for a finding. */
interface ConfigNode {
  node: unknown;
  parent: ConfigNode | undefined;
  /** Key in the parent object, or index in the parent array. */
  key: string | number;
}

function pathOf(n: ConfigNode): string {
  const parts: string[] = [];
  for (let c: ConfigNode | undefined = n; c?.parent !== undefined; c = c.parent) {
    parts.push(typeof c.key === 'number' ? `[${c.key}]` : `.${c.key}`);
  }
  return `$${parts.reverse().join('')}`;
}

/** Walks a Keras config at any depth: Lambda layers, `__lambda__` functions, custom objects, foreign modules. */
export function checkKerasConfig(config: unknown, location: string, ctx: ScanContext): void {
  const stack: ConfigNode[] = [{ node: config, parent: undefined, key: '$' }];
  let visited = 0;
  while (stack.length > 0) {
    const at = stack.pop() as ConfigNode;
    const node = at.node;
    if (++visited > 1_000_000) {
      ctx.findings.push(finding('scan.limit-exceeded', 'Keras config has too many nodes', location));
      return;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child !== null && typeof child === 'object') stack.push({ node: child, parent: at, key: i });
      }
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const o = node as Record<string, unknown>;
    const cls = typeof o['class_name'] === 'string' ? o['class_name'] : undefined;
    if (cls === 'Lambda' || cls === '__lambda__') {
      const path = pathOf(at);
      ctx.findings.push(
        finding('keras.lambda-layer', `${cls} at ${path} carries serialized Python code`, `${location}#${path}`),
      );
    }
    if (
      o['function_type'] === 'lambda' ||
      (typeof o['function'] === 'object' &&
        o['function'] !== null &&
        JSON.stringify(o['function']).includes('__lambda__') &&
        cls !== 'Lambda')
    ) {
      const path = pathOf(at);
      ctx.findings.push(finding('keras.lambda-layer', `lambda function at ${path}`, `${location}#${path}`));
    }
    const mod = o['module'];
    if (typeof mod === 'string' && cls !== undefined && !KERAS_MODULE.test(mod)) {
      const path = pathOf(at);
      ctx.findings.push(
        finding('keras.foreign-module', `${cls} at ${path} comes from module "${mod}"`, `${location}#${path}`),
      );
    }
    const reg = o['registered_name'];
    if (typeof reg === 'string' && cls !== undefined && reg !== cls && reg.includes('>')) {
      const path = pathOf(at);
      ctx.findings.push(finding('keras.custom-object', `custom object "${reg}" at ${path}`, `${location}#${path}`));
    }
    // Only objects and arrays can hold what is checked above: scalars are not pushed.
    for (const k in o) {
      const v = o[k];
      if (v !== null && typeof v === 'object') stack.push({ node: v, parent: at, key: k });
    }
  }
}

/** Keras v3: `config.json` of a `.keras` zip. */
export async function analyseKerasConfig(blob: Blob, location: string, ctx: ScanContext): Promise<void> {
  let text: string;
  try {
    text = (await readAll(blob, ctx.limits.maxInMemory)).toString('utf8');
  } catch (e: unknown) {
    if (!(e instanceof BlobTooLargeError)) throw e;
    ctx.findings.push(finding('scan.limit-exceeded', e.message, location));
    return;
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e: unknown) {
    ctx.findings.push(
      finding('keras.malformed', `config.json is not JSON: ${e instanceof Error ? e.message : String(e)}`, location),
    );
    return;
  }
  checkKerasConfig(config, location, ctx);
}

/** Extracts the JSON object that starts at `start` by brace matching (strings and escapes respected). */
function jsonObjectAt(text: string, start: number): string | undefined {
  let depth = 0;
  let inStr = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/**
 * Legacy Keras `.h5`. No maintained pure-JS HDF5 reader installs offline, so this is the documented
 * minimal parse (docs/adr): the file is searched (bounded) for the `model_config` attribute and the JSON
 * objects that follow it, which Keras stores as a string attribute on the root group.
 */
export async function scanHdf5(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  const n = Math.min(blob.size, ctx.limits.maxHdf5Search);
  const text = (await head(blob, n)).toString('latin1');
  const at = text.indexOf('model_config');
  // Keras writes the root group's attributes before any weights, so they sit near the start of the file.
  if (at < 0) return 'hdf5';
  // The attribute value follows its name within the object header (or in the global heap for
  // variable-length strings); take the first JSON object after the name that parses as a config.
  let found = 0;
  let from = at;
  while (found === 0) {
    const start = text.indexOf('{"', from);
    if (start < 0 || start - at > 1 << 20) break;
    const json = jsonObjectAt(text, start);
    from = start + 1;
    if (json === undefined) continue;
    let config: unknown;
    try {
      config = JSON.parse(Buffer.from(json, 'latin1').toString('utf8'));
    } catch {
      continue;
    }
    if (config !== null && typeof config === 'object' && 'class_name' in config) {
      checkKerasConfig(config, location, ctx);
      found++;
    }
  }
  if (found === 0)
    ctx.findings.push(
      finding('keras.malformed', 'model_config attribute found but no readable config', `${location}@${at}`),
    );
  return 'keras-h5';
}
