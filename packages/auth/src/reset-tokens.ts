import type { Database, Kysely } from '@phoenix/db';
import { issueSecret, secretMatches, splitToken } from './secrets.ts';

export interface ResetTokenManager {
  /** Issues a single-use token; earlier unused tokens of the user stop working. */
  issue(userId: string): Promise<{ token: string; expiresAt: Date }>;
  /** Marks the token used and returns its user; null when unknown, used or expired. */
  consume(token: string): Promise<string | null>;
}

export function createResetTokenManager(db: Kysely<Database>, ttlMs: number): ResetTokenManager {
  return {
    async issue(userId) {
      const issued = issueSecret();
      const expiresAt = new Date(Date.now() + ttlMs);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('passwordResetTokens').where('userId', '=', userId).execute();
        await trx
          .insertInto('passwordResetTokens')
          .values({ id: issued.id, userId, secretHash: issued.secretHash, expiresAt })
          .execute();
      });
      return { token: issued.token, expiresAt };
    },

    async consume(token) {
      const parts = splitToken(token);
      if (!parts) return null;
      const row = await db
        .selectFrom('passwordResetTokens')
        .select(['id', 'userId', 'secretHash'])
        .where('id', '=', parts.id)
        .executeTakeFirst();
      if (!row || !secretMatches(parts.secret, row.secretHash)) return null;
      // One conditional update decides the race between two uses of the same token.
      const claimed = await db
        .updateTable('passwordResetTokens')
        .set({ usedAt: new Date() })
        .where('id', '=', row.id)
        .where('usedAt', 'is', null)
        .where('expiresAt', '>', new Date())
        .executeTakeFirst();
      return Number(claimed.numUpdatedRows) === 1 ? row.userId : null;
    },
  };
}
