import { BlobTooLargeError, readAll } from '../io/blob';
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

const MODEL_CONFIG = Buffer.from('model_config', 'latin1');
/** How far past the attribute name its JSON value is looked for (the object header or heap in between). */
const VALUE_SEARCH = 1 << 20;
/** Occurrences of the name judged per file; more is a limit finding (fail closed). */
const MAX_OCCURRENCES = 64;

/** Offsets of every occurrence of `needle` in the blob, streamed in bounded memory (chunks overlap). */
async function* occurrences(blob: Blob, needle: Buffer): AsyncIterable<number> {
  const whole = blob.inMemory?.();
  if (whole !== undefined) {
    for (let at = whole.indexOf(needle); at >= 0; at = whole.indexOf(needle, at + 1)) yield at;
    return;
  }
  let carry = Buffer.alloc(0);
  let base = 0;
  for await (const chunk of blob.stream()) {
    const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) yield base + at;
    // Keep the last needle-1 bytes: an occurrence split between chunks is found in the next round.
    const keep = Math.min(buf.length, needle.length - 1);
    carry = Buffer.from(buf.subarray(buf.length - keep));
    base += buf.length - keep;
  }
}

/** The first JSON object after `at` that parses as a Keras config, read in growing windows; or undefined. */
async function configAfter(blob: Blob, at: number, maxInMemory: number): Promise<unknown> {
  for (let window = VALUE_SEARCH * 2; ; window *= 4) {
    const len = Math.min(window, maxInMemory, blob.size - at);
    const text = (await blob.read(at, len)).toString('latin1');
    let from = 0;
    let incomplete = false;
    for (;;) {
      const start = text.indexOf('{"', from);
      if (start < 0 || start > VALUE_SEARCH) break;
      from = start + 1;
      const json = jsonObjectAt(text, start);
      if (json === undefined) {
        incomplete = true;
        break;
      }
      try {
        const config: unknown = JSON.parse(Buffer.from(json, 'latin1').toString('utf8'));
        if (config !== null && typeof config === 'object' && 'class_name' in config) return config;
      } catch {
        // Not this one: look for the next object.
      }
    }
    // An object still open at the end of the window may be the config: read more, up to the bound.
    if (!incomplete || len >= Math.min(maxInMemory, blob.size - at)) return undefined;
  }
}

/**
 * Legacy Keras `.h5`. No maintained pure-JS HDF5 reader installs offline, so this is the documented
 * minimal parse (docs/adr): the whole file is searched, streamed, for the `model_config` attribute name,
 * and after every occurrence the first JSON object that parses as a config is checked. Every occurrence,
 * not the first: a decoy config early in the file must not hide the one Keras loads, wherever the HDF5
 * layout put it (dense attribute storage can sit after the weights).
 */
export async function scanHdf5(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  let seen = 0;
  let configs = 0;
  let first = -1;
  for await (const at of occurrences(blob, MODEL_CONFIG)) {
    if (++seen > MAX_OCCURRENCES) {
      ctx.findings.push(
        finding('scan.limit-exceeded', `more than ${MAX_OCCURRENCES} model_config names`, `${location}@${at}`),
      );
      break;
    }
    if (first < 0) first = at;
    let config: unknown;
    try {
      config = await configAfter(blob, at, ctx.limits.maxInMemory);
    } catch (e: unknown) {
      if (!(e instanceof BlobTooLargeError)) throw e;
      ctx.findings.push(finding('scan.limit-exceeded', e.message, `${location}@${at}`));
      continue;
    }
    if (config === undefined) continue;
    checkKerasConfig(config, location, ctx);
    configs++;
  }
  if (seen === 0) return 'hdf5';
  if (configs === 0)
    ctx.findings.push(
      finding('keras.malformed', 'model_config attribute found but no readable config', `${location}@${first}`),
    );
  return 'keras-h5';
}
