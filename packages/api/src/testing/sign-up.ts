import type { Role, Tier } from '@phoenix/db';
import type { RouterOutputs } from '../client-types.ts';
import { applyGrant } from '../domains/gateway/index.ts';
import type { TestServer } from './index.ts';

export const PASSWORD = 'correct horse battery staple';

export interface SignUpOptions {
  /** Part of the e-mail and the display name, to tell users apart in a failing test. */
  label?: string;
  /** The exact e-mail, instead of one made from the label. */
  email?: string;
  role?: Role;
  tier?: Tier;
  /** The balance to start with, instead of the sign-up grant. */
  credits?: number;
  timeZone?: string;
  locale?: string;
}

export type SignedUp = RouterOutputs['auth']['register'] & {
  id: string;
  email: string;
  client: ReturnType<TestServer['client']>;
};

let counter = 0;

/**
 * Registers a user through the API, as a client would; role, tier and credits, which no
 * public call sets, are then written to the database directly.
 */
export async function signUp(server: TestServer, options: SignUpOptions = {}): Promise<SignedUp> {
  const label = options.label ?? 'user';
  const email = options.email ?? `${label}-${++counter}-${Date.now()}@example.com`;
  const grant = await server.client().auth.register.mutate({
    email,
    password: PASSWORD,
    displayName: label,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const id = grant.user.id;
  const { db } = server.deps;
  if (options.role || options.tier) {
    await db
      .updateTable('users')
      .set({
        ...(options.role ? { role: options.role } : {}),
        ...(options.tier ? { tier: options.tier } : {}),
      })
      .where('id', '=', id)
      .execute();
    await server.deps.auth.userChanged(id);
  }
  if (options.credits !== undefined) {
    const { credits } = options;
    await db.transaction().execute(async (trx) => {
      const { balance } = await trx
        .selectFrom('creditBalances')
        .select('balance')
        .where('userId', '=', id)
        .executeTakeFirstOrThrow();
      // A ledger entry moves the balance: none is written when it is already right.
      if (credits !== balance)
        await applyGrant(trx, { userId: id, amount: credits - balance, kind: 'adjustment' });
    });
  }
  return { ...grant, id, email, client: server.client(grant.token) };
}
