import { invalid } from '@phoenix/errors';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** Refuses a key that could leave the storage root or is not portable across backends. */
export function assertStorageKey(key: string): string {
  const segments = key.split('/');
  const valid =
    key.length <= 512 &&
    segments.length > 0 &&
    segments.every((segment) => SEGMENT.test(segment) && segment !== '..' && segment !== '.');
  if (!valid) throw invalid(`Not a valid storage key: ${JSON.stringify(key)}`, { field: 'key' });
  return key;
}
