import type { Database, Kysely } from '@phoenix/db';
import type { Jobs } from '../jobs/index.ts';
import type { Storage } from '../storage/index.ts';

/**
 * What happens to a table's rows about the erased user:
 * - `delete`: the rows go.
 * - `pseudonymise`: the rows stay (a law says so: `legalBasis`), with the user replaced by a
 *   stable random tombstone and their email and names removed.
 * - `detach`: the rows are not the user's (someone else's data, or the hub's), but name them
 *   in a column (an author, a resolver): that column is cleared.
 */
export type Erasure =
  | { kind: 'delete' }
  | { kind: 'pseudonymise'; legalBasis: string }
  | { kind: 'detach' };

export interface TableDeclaration {
  /**
   * The columns that reference or describe a user (snake_case, as in the database). The
   * catalogue test fails on a user column (foreign key to `users`, or named like
   * `user_id`, `email`, `*_by`...) that no declaration lists.
   */
  userColumns: readonly string[];
  erasure: Erasure;
  /** One sentence for the export's README: what these rows are. */
  about: string;
}

/** The person the hook works on. */
export interface Subject {
  userId: string;
  email: string;
  displayName: string;
}

export interface ExportContext {
  db: Kysely<Database>;
  storage: Storage;
  subject: Subject;
}

export interface EraseContext {
  /** The erasure's transaction: every hook of every domain commits together. */
  db: Kysely<Database>;
  subject: Subject;
  /** A random uuid standing for the user in the rows kept for legal reasons (a `users` row). */
  tombstone: string;
  /**
   * Durable follow-up work outside the database (a provider's customer to delete), sent in
   * the erasure's transaction: it happens if and only if the erasure commits, and retries.
   * A payload must not name the user (the erasure purges job payloads that do).
   */
  jobs: Pick<Jobs, 'send'>;
}

/** A stored file to put in the archive (under `files/<domain>/<name>`). */
export interface ExportFile {
  key: string;
  name: string;
}

/**
 * One domain's personal data: its tables, how its rows about a user are exported and
 * erased. Declared in the domain's folder (`personal-data.ts`), exported through its
 * `index.ts`, listed in `root.ts` (`appPersonalData`).
 */
export interface PersonalDataDeclaration {
  /** The export file is `<domain>.json`. */
  domain: string;
  /** For the export's README: what this part of the hub keeps about a person. */
  about: string;
  /** Every table of the domain that has a user column, by its database name. */
  tables: Readonly<Record<string, TableDeclaration>>;
  /** The user's rows, by table name (every declared table, even when empty). */
  exportUserData(ctx: ExportContext): Promise<Record<string, readonly unknown[]>>;
  /**
   * Deletes, pseudonymises or detaches the user's rows, inside the erasure's transaction.
   * Returns how many rows each table lost or changed (for the erasure report; no personal data).
   */
  eraseUserData(ctx: EraseContext): Promise<Record<string, number>>;
  /** Stored files that belong to the user (exported, then deleted after the erasure commits). */
  userFiles?(ctx: ExportContext): Promise<readonly ExportFile[]>;
  /**
   * After the erasure committed: what lives outside the database (a payment provider's
   * customer, deleted through its API). A failure is logged, never undoes the erasure.
   */
  afterErasure?(ctx: { subject: Subject; tombstone: string }): Promise<void>;
  /**
   * Erasure order: lower first. Default 0; the account itself (auth) runs last, since deleting
   * the `users` row cascades.
   */
  order?: number;
}

/** Identity that checks a declaration's shape (and that kept rows name their legal basis). */
export function definePersonalData(declaration: PersonalDataDeclaration): PersonalDataDeclaration {
  for (const [table, t] of Object.entries(declaration.tables)) {
    if (t.erasure.kind === 'pseudonymise' && t.erasure.legalBasis.trim() === '') {
      throw new Error(`${declaration.domain}.${table}: a kept table needs its legal basis`);
    }
  }
  return declaration;
}

/** `count` of a Kysely delete/update result. */
export function affected(result: { numDeletedRows?: bigint; numUpdatedRows?: bigint }): number {
  return Number(result.numDeletedRows ?? result.numUpdatedRows ?? 0n);
}
