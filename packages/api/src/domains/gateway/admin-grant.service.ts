import { notFound } from '@phoenix/errors';
import type { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import type { AuditTrail } from '../../platform/audit/trail.ts';
import { grantCredits } from './credits.service.ts';
import type { GrantResult, grantInput } from './schemas.ts';

/**
 * An administrator's credit grant. Its audit row (the user, the amount, the balance
 * before and after) is written in the grant's own transaction, so neither commits
 * without the other. A replayed idempotency key changes nothing and says so in the log.
 */
export async function adminGrantCredits(
  deps: Pick<AppDeps, 'db' | 'events'>,
  audit: AuditTrail,
  input: z.infer<typeof grantInput>,
): Promise<GrantResult> {
  const entry = { amount: input.amount, note: input.note };
  // Before the grant, not from its foreign key: a missing user is a 404 naming the field.
  const user = await deps.db
    .selectFrom('users')
    .select('id')
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (!user) throw notFound('User', { field: 'userId' });
  const result = await grantCredits(
    deps,
    {
      userId: input.userId,
      amount: input.amount,
      kind: 'grant',
      note: input.note,
      // Per user: the same key sent for another user is another grant.
      idempotencyKey: input.idempotencyKey
        ? `admin-grant:${input.userId}:${input.idempotencyKey}`
        : null,
      reference: `admin:${audit.actor.adminId}`,
    },
    (trx, balance) =>
      audit.record(trx, {
        resourceType: 'user',
        resourceId: input.userId,
        oldValue: { balance: balance - input.amount },
        newValue: { ...entry, balance },
      }),
  );
  if (!result.applied) {
    await audit.record(deps.db, {
      resourceType: 'user',
      resourceId: input.userId,
      newValue: { ...entry, balance: result.balance, replayed: true },
    });
  }
  return result;
}
