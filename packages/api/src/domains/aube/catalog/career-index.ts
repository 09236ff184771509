import { invalid } from '@phoenix/errors';
import type { Career } from '../model.ts';
import { CAREERS } from './careers.ts';

const BY_ID: ReadonlyMap<string, Career> = new Map(CAREERS.map((career) => [career.id, career]));

// Ids come from the caller; an absurdly long one must not be echoed back in full.
const MAX_ECHOED_ID = 64;

export function findCareer(id: string): Career | undefined {
  return BY_ID.get(id);
}

/** The catalog career with this id, or BAD_REQUEST naming `careerId`. */
export function requireCareer(id: string): Career {
  const career = BY_ID.get(id);
  if (!career) {
    throw invalid(`Unknown career "${id.slice(0, MAX_ECHOED_ID)}"`, {
      reason: 'UNKNOWN_CAREER',
      field: 'careerId',
    });
  }
  return career;
}
