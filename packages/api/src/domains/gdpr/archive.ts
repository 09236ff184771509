import type { Readable } from 'node:stream';
import type { Database, Kysely } from '@phoenix/db';
import yazl from 'yazl';
import type { PersonalDataDeclaration, Subject } from '../../platform/personal-data/index.ts';
import type { Storage, StoredObject } from '../../platform/storage/index.ts';

export const EXPORT_FORMAT = 'phoenix-export/1';

/** One domain's file: what it is, and per table what the rows are and what erasure does. */
export async function domainDocument(
  declaration: PersonalDataDeclaration,
  ctx: { db: Kysely<Database>; storage: Storage; subject: Subject },
): Promise<Record<string, unknown>> {
  const rows = await declaration.exportUserData(ctx);
  return {
    format: EXPORT_FORMAT,
    domain: declaration.domain,
    about: declaration.about,
    tables: Object.fromEntries(
      Object.entries(declaration.tables).map(([table, t]) => [
        table,
        {
          about: t.about,
          onErasure: t.erasure,
          rows: rows[table] ?? [],
        },
      ]),
    ),
  };
}

function readme(
  registry: readonly PersonalDataDeclaration[],
  info: { generatedAt: Date; files: readonly string[] },
): string {
  const lines = [
    '# Your Phoenix data',
    '',
    `Generated ${info.generatedAt.toISOString()}. Every file is JSON (UTF-8), one per part of`,
    'Phoenix, in the same machine-readable form `gdpr.export.data` returns (GDPR Article 20).',
    'Each file lists its tables; each table says what its rows are, what an erasure of your',
    'account does to them (and, for rows kept, the law that requires it), and holds your rows.',
    '',
  ];
  for (const d of registry) {
    lines.push(`## ${d.domain}.json`, '', d.about, '');
    for (const [table, t] of Object.entries(d.tables)) {
      const kept =
        t.erasure.kind === 'pseudonymise'
          ? ` Kept after erasure under a tombstone: ${t.erasure.legalBasis}.`
          : '';
      lines.push(`- \`${table}\`: ${t.about}${kept}`);
    }
    lines.push('');
  }
  if (info.files.length > 0) {
    lines.push('## files/', '', 'Files you uploaded, by part of Phoenix:', '');
    for (const f of info.files) lines.push(`- \`${f}\``);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Builds the archive as a stream straight into storage: one JSON per domain (each built
 * and handed to the zip before the next is read), the user's files streamed from storage,
 * and a README. The whole archive is never in memory; a failure leaves no object.
 */
export async function writeExportArchive(options: {
  db: Kysely<Database>;
  storage: Storage;
  registry: readonly PersonalDataDeclaration[];
  subject: Subject;
  key: string;
  now: Date;
}): Promise<StoredObject> {
  const { db, storage, registry, subject, key, now } = options;
  const zip = new yazl.ZipFile();
  // A PassThrough underneath; its typings say only NodeJS.ReadableStream.
  const output = zip.outputStream as Readable;
  const stored = storage.put(key, output, { contentType: 'application/zip' });
  // Handled at once: a put refused before the zip is done (its folder cannot be made)
  // must not be an unhandled rejection while the documents are still being read; it is
  // still what this function returns.
  stored.catch(() => undefined);
  try {
    const files: string[] = [];
    for (const declaration of registry) {
      const doc = await domainDocument(declaration, { db, storage, subject });
      zip.addBuffer(Buffer.from(JSON.stringify(doc, null, 2)), `${declaration.domain}.json`, {
        mtime: now,
      });
      for (const file of (await declaration.userFiles?.({ db, storage, subject })) ?? []) {
        const name = `files/${declaration.domain}/${file.name}`;
        zip.addReadStream(await storage.get(file.key), name, { mtime: now });
        files.push(name);
      }
    }
    zip.addBuffer(Buffer.from(readme(registry, { generatedAt: now, files })), 'README.md', {
      mtime: now,
    });
    zip.end();
  } catch (error) {
    output.destroy(error instanceof Error ? error : new Error(String(error)));
    await stored.catch(() => undefined);
    throw error;
  }
  return stored;
}

/** The portable form (Article 20): every domain's document in one JSON value. */
export async function portableExport(options: {
  db: Kysely<Database>;
  storage: Storage;
  registry: readonly PersonalDataDeclaration[];
  subject: Subject;
  now: Date;
}): Promise<{ format: string; generatedAt: string; domains: Record<string, unknown> }> {
  const domains: Record<string, unknown> = {};
  for (const declaration of options.registry) {
    domains[declaration.domain] = await domainDocument(declaration, options);
  }
  return { format: EXPORT_FORMAT, generatedAt: options.now.toISOString(), domains };
}
