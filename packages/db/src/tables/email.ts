import type { ColumnType, Generated, Selectable } from 'kysely';

export interface EmailTemplatesTable {
  id: Generated<string>;
  /** What sends it: `welcome`, `password_reset`, ... */
  trigger: string;
  locale: string;
  /** Handlebars sources; their variables are checked against the trigger's schema. */
  subject: string;
  html: string;
  text: string;
  updatedBy: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export type EmailStatus = 'queued' | 'sent' | 'failed';

export interface EmailLogsTable {
  id: Generated<string>;
  trigger: string;
  locale: string;
  userId: string | null;
  /** The domain event it was sent for (unique), so a redelivered event sends nothing. */
  eventId: ColumnType<string | null, string | null | undefined, never>;
  toEmail: string;
  subject: ColumnType<string, string | undefined, string>;
  status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  /** The SMTP server's last reply (accepted or refused). */
  smtpResponse: string | null;
  error: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
  sentAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
}

export interface EmailTables {
  emailTemplates: EmailTemplatesTable;
  emailLogs: EmailLogsTable;
}

export type EmailTemplateRow = Selectable<EmailTemplatesTable>;
export type EmailLogRow = Selectable<EmailLogsTable>;
