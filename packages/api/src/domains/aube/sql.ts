import { sql } from '@phoenix/db';

// count(*) is bigint, which node-pg returns as a string; the cast keeps it a number.
export const countInt = sql<number>`count(*)::int`;
