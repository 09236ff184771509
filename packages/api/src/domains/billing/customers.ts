import { type Database, type Kysely, lockForTransaction, type PaymentProvider } from '@phoenix/db';
import type { CustomerRequest, PaymentGateway } from './providers/types.ts';

/**
 * The user's customer at `gateway`'s provider, created once. Concurrent first checkouts (two
 * tabs, two processes) serialise on a transaction-scoped advisory lock of (user, provider):
 * the first creates the customer and inserts the row, the others find it when the lock is
 * theirs. The provider call runs under the lock, so only one is ever made.
 */
export async function ensureCustomer(
  db: Kysely<Database>,
  gateway: PaymentGateway,
  user: CustomerRequest,
): Promise<string> {
  const find = (q: Kysely<Database>) =>
    q
      .selectFrom('billingCustomers')
      .select('customerId')
      .where('userId', '=', user.userId)
      .where('provider', '=', gateway.name)
      .executeTakeFirst();
  const known = await find(db);
  if (known) return known.customerId;
  return db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, lockKey(user.userId, gateway.name));
    const created = await find(trx);
    if (created) return created.customerId;
    const customerId = await gateway.createCustomer(user);
    await trx
      .insertInto('billingCustomers')
      .values({ userId: user.userId, provider: gateway.name, customerId })
      .execute();
    return customerId;
  });
}

const lockKey = (userId: string, provider: PaymentProvider) =>
  `billing-customer:${provider}:${userId}`;

/** Who a provider customer is, or undefined for a customer the hub never created. */
export async function userOfCustomer(
  db: Kysely<Database>,
  provider: PaymentProvider,
  customerId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('billingCustomers')
    .select('userId')
    .where('provider', '=', provider)
    .where('customerId', '=', customerId)
    .executeTakeFirst();
  return row?.userId;
}
