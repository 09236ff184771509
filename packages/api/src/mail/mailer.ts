import type { Config } from '@phoenix/config';
import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface MailReceipt {
  /** The SMTP server's final reply (e.g. `250 OK: queued as ...`). */
  response: string;
}

/** Where every email leaves the hub: SMTP in production, the log by default. */
export interface Mailer {
  send(message: MailMessage): Promise<MailReceipt>;
  close(): void;
}

export function createMailer(config: Pick<Config, 'mail'>, log: Logger): Mailer {
  const { smtpUrl, from } = config.mail;
  if (!smtpUrl) {
    return {
      async send(message) {
        // No SMTP configured: the email is written to the log so a developer can read it.
        log.info({ mail: { from, ...message } }, 'email (log transport; set SMTP_URL to send)');
        return { response: 'logged (no SMTP_URL)' };
      },
      close() {},
    };
  }
  const transport = createTransport(smtpUrl);
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      return { response: String(info.response ?? '') };
    },
    close() {
      transport.close();
    },
  };
}
