import { detectFormat, loadProfile, profileForDriftInWorker } from './profile-io';
import type { DatasetProfile } from './dataset-profile.schema';

export interface DriftInputOptions {
  /**
   * Numeric values kept per column of a data file. Default: every value (exact) when both sides are data
   * files; the saved profile's own cap when one side is a profile.
   */
  valueCap?: number;
}

/**
 * The two sides of a drift comparison, as profiles. Two data files are read in parallel, each on a worker
 * thread, keeping every value so statistics are exact (memory grows with the data: 8 bytes per numeric
 * value). When one side is a saved profile, the data on the other side is streamed into the same bounded
 * summary the profile holds (its value and category caps), so memory is bounded by the profile, not by
 * the number of rows in the window (docs/adr/0308-exact-and-bounded-drift.md).
 */
export async function profilesForDrift(
  reference: string,
  current: string,
  options: DriftInputOptions = {},
): Promise<[DatasetProfile, DatasetProfile]> {
  const savedSide =
    detectFormat(reference) === 'profile' ? 'reference' : detectFormat(current) === 'profile' ? 'current' : undefined;
  if (savedSide === undefined) {
    return Promise.all([profileForDriftInWorker(reference, options), profileForDriftInWorker(current, options)]);
  }
  const saved = await loadProfile(savedSide === 'reference' ? reference : current);
  const caps = { valueCap: options.valueCap ?? saved.valueCap, categoryCap: saved.categoryCap };
  const other = await profileForDriftInWorker(savedSide === 'reference' ? current : reference, caps);
  return savedSide === 'reference' ? [saved, other] : [other, saved];
}
