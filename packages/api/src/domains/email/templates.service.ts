import type { Database, EmailTemplateRow, Kysely } from '@phoenix/db';
import { conflict, notFound } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import type { AuditTrail } from '../../platform/audit/trail.ts';
import { defaultTemplates } from './defaults.ts';
import { assertTemplate } from './render.ts';
import type {
  CreateTemplateInput,
  EmailTemplate,
  ListTemplatesInput,
  TemplateDeleted,
  TemplateList,
  TestEmail,
  UpdateTemplateInput,
} from './schemas.ts';
import { queueSampleEmail } from './send.ts';
import { LOCALES, TRIGGERS, variableNames } from './triggers.ts';

const COLUMNS = [
  'id',
  'trigger',
  'locale',
  'subject',
  'html',
  'text',
  'updatedBy',
  'createdAt',
  'updatedAt',
] as const;

// Rows are written only through these functions, which check trigger and locale.
const typed = (row: EmailTemplateRow): EmailTemplate => row as EmailTemplate;

export async function listTemplates(
  db: Kysely<Database>,
  input: ListTemplatesInput,
): Promise<TemplateList> {
  let query = db.selectFrom('emailTemplates').select(COLUMNS).orderBy('trigger').orderBy('locale');
  if (input.trigger) query = query.where('trigger', '=', input.trigger);
  if (input.locale) query = query.where('locale', '=', input.locale);
  return {
    items: (await query.execute()).map(typed),
    variables: Object.fromEntries(TRIGGERS.map((trigger) => [trigger, variableNames(trigger)])),
  };
}

async function find(db: Kysely<Database>, id: string, lock = false): Promise<EmailTemplate> {
  let query = db.selectFrom('emailTemplates').select(COLUMNS).where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('Email template');
  return typed(row);
}

export const getTemplate = (db: Kysely<Database>, id: string): Promise<EmailTemplate> =>
  find(db, id);

export function createTemplate(
  db: Kysely<Database>,
  audit: AuditTrail,
  input: CreateTemplateInput,
): Promise<EmailTemplate> {
  assertTemplate(input.trigger, input);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('emailTemplates')
      .values({ ...input, updatedBy: audit.actor.adminId })
      .onConflict((oc) => oc.columns(['trigger', 'locale']).doNothing())
      .returning(COLUMNS)
      .executeTakeFirst();
    if (!row) throw conflict(`A ${input.trigger} template in ${input.locale} exists; update it`);
    await audit.record(trx, { resourceType: 'email_template', resourceId: row.id, newValue: row });
    return typed(row);
  });
}

export function updateTemplate(
  db: Kysely<Database>,
  audit: AuditTrail,
  input: UpdateTemplateInput,
): Promise<EmailTemplate> {
  return db.transaction().execute(async (trx) => {
    const before = await find(trx, input.id, true);
    const next = {
      subject: input.subject ?? before.subject,
      html: input.html ?? before.html,
      text: input.text ?? before.text,
    };
    assertTemplate(before.trigger, next);
    const after = await trx
      .updateTable('emailTemplates')
      .set({ ...next, updatedBy: audit.actor.adminId, updatedAt: new Date() })
      .where('id', '=', input.id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await audit.record(trx, {
      resourceType: 'email_template',
      resourceId: input.id,
      oldValue: { subject: before.subject, html: before.html, text: before.text },
      newValue: next,
    });
    return typed(after);
  });
}

/** Deleting a template puts its trigger back on the built-in default. */
export function deleteTemplate(
  db: Kysely<Database>,
  audit: AuditTrail,
  id: string,
): Promise<TemplateDeleted> {
  return db.transaction().execute(async (trx) => {
    const before = await find(trx, id, true);
    await trx.deleteFrom('emailTemplates').where('id', '=', id).execute();
    await audit.record(trx, { resourceType: 'email_template', resourceId: id, oldValue: before });
    return { deleted: true as const };
  });
}

/** Sends the template, rendered with its trigger's sample data, to the calling admin. */
export function sendTestEmail(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  audit: AuditTrail,
  id: string,
): Promise<TestEmail> {
  return deps.db.transaction().execute(async (trx) => {
    const template = await find(trx, id);
    const logId = await queueSampleEmail(deps, trx, {
      trigger: template.trigger,
      to: audit.actor.adminEmail,
      userId: audit.actor.adminId,
      locale: template.locale,
    });
    await audit.record(trx, {
      resourceType: 'email_template',
      resourceId: id,
      newValue: { testEmailLogId: logId, to: audit.actor.adminEmail },
    });
    return { emailLogId: logId };
  });
}

/** Writes the built-in templates that are missing (`phoenix seed`); edited ones stay. */
export async function seedDefaultTemplates(db: Kysely<Database>): Promise<number> {
  const rows = TRIGGERS.flatMap((trigger) =>
    LOCALES.map((locale) => ({ trigger, locale, ...defaultTemplates[trigger][locale] })),
  );
  const inserted = await db
    .insertInto('emailTemplates')
    .values(rows)
    .onConflict((oc) => oc.columns(['trigger', 'locale']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
