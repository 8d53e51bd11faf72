export { ArtifactRoot } from './artifact-root';
export type { ResolvedArtifact } from './artifact-root';
export { sha256File } from './sha256-file';
export type { DigestProgress, Sha256FileOptions } from './sha256-file';
