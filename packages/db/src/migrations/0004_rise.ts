import type { Kysely } from 'kysely';

// Reserved slot: this domain's tables are created here (nothing is released yet).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
