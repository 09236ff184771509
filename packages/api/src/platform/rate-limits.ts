import { createLimit } from '@phoenix/auth';
import type { Config } from '@phoenix/config';
import { isKvUnavailable, type Kv } from '@phoenix/kv';
import type { Logger } from 'pino';

export type AdminLimitKind = 'read' | 'write' | 'delete' | 'export';

/**
 * Which per-minute budget a call spends, from its name: `export*` queries are exports,
 * other queries reads, `delete*`/`remove*`/`purge*` mutations deletes, other mutations
 * writes. Naming a procedure is therefore also choosing its limit.
 */
export function adminLimitKind(path: string, type: string): AdminLimitKind {
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (/^export/i.test(name)) return 'export';
  if (type === 'query') return 'read';
  if (/^(delete|remove|purge)/i.test(name)) return 'delete';
  return 'write';
}

type Limiters = Record<AdminLimitKind, (key: string) => Promise<void>>;
// One set of limiters per kv store (one per process in production, one per test server).
const byKv = new WeakMap<Kv, Limiters>();

function limitersFor(kv: Kv, limits: Config['admin']['rateLimits']): Limiters {
  let found = byKv.get(kv);
  if (!found) {
    const make = (kind: AdminLimitKind) =>
      createLimit(kv, { name: `admin:${kind}`, points: limits[kind], durationSeconds: 60 });
    found = {
      read: make('read'),
      write: make('write'),
      delete: make('delete'),
      export: make('export'),
    };
    byKv.set(kv, found);
  }
  return found;
}

/**
 * Spends one point of the administrator's budget for this kind of call, or throws RATE_LIMITED.
 * With the kv down, reads go on unmetered (an administrator can still look at what is
 * happening during an outage, and a read changes nothing); writes, deletes and exports
 * fail closed with the kv's 503.
 */
export async function limitAdminCall(
  deps: { kv: Kv; config: Config; log: Logger },
  call: { adminId: string; path: string; type: string },
): Promise<void> {
  const limiters = limitersFor(deps.kv, deps.config.admin.rateLimits);
  const kind = adminLimitKind(call.path, call.type);
  try {
    await limiters[kind](call.adminId);
  } catch (error) {
    if (kind !== 'read' || !isKvUnavailable(error)) throw error;
    deps.log.warn({ err: error, path: call.path }, 'kv unavailable: admin read not metered');
  }
}

export interface UserLimit {
  /** Names the counter, e.g. `champion:analyze`. */
  name: string;
  points: number;
  durationSeconds: number;
}

// One limiter per kv store and limit (name and size), built on first use.
const userLimiters = new WeakMap<Kv, Map<string, (key: string) => Promise<void>>>();

/**
 * Spends one point of a user's budget for a kind of call (a domain's limit from config,
 * shared by every process through the kv), or throws RATE_LIMITED with Retry-After.
 */
export async function limitUserCall(
  deps: { kv: Kv },
  limit: UserLimit,
  userId: string,
): Promise<void> {
  let limiters = userLimiters.get(deps.kv);
  if (!limiters) {
    limiters = new Map();
    userLimiters.set(deps.kv, limiters);
  }
  const id = `${limit.name}:${limit.points}/${limit.durationSeconds}`;
  let consume = limiters.get(id);
  if (!consume) {
    consume = createLimit(deps.kv, {
      name: `user:${limit.name}`,
      points: limit.points,
      durationSeconds: limit.durationSeconds,
    });
    limiters.set(id, consume);
  }
  await consume(userId);
}
