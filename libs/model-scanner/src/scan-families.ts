import { extname } from 'node:path';

/**
 * Which part of the scanner a file's scan mostly runs, guessed from its name: the pickle machine
 * (PyTorch, pickle, joblib, NumPy) or the structured parsers (protobuf graphs, JSON configs, HDF5,
 * safetensors and GGUF headers). Only scheduling uses the guess — every file is still identified by its
 * content — so a wrong one costs time, never a verdict.
 *
 * Why it matters (ADR 0107): a thread's first pass over each parser runs on a cold JIT, which on a
 * mixed directory costs about as much as the scanning itself. A helper thread that takes the structured
 * files while this thread takes the pickles warms half the code each, instead of both warming all of it.
 */
export const PICKLE_FAMILY = 0;
export const STRUCTURED_FAMILY = 1;
export const FAMILY_COUNT = 2;

const STRUCTURED_EXTENSIONS: ReadonlySet<string> = new Set([
  '.onnx',
  '.pb',
  '.pbtxt',
  '.keras',
  '.h5',
  '.hdf5',
  '.safetensors',
  '.gguf',
  '.tflite',
  '.msgpack',
  '.json',
  '.model',
]);

/** The family a file is scheduled with; anything unknown (no extension, `.bin`, `.dat`) is a pickle. */
export function scanFamilyOf(path: string): number {
  return STRUCTURED_EXTENSIONS.has(extname(path).toLowerCase()) ? STRUCTURED_FAMILY : PICKLE_FAMILY;
}
