import type { Config } from '@phoenix/config';
import type { Logger } from 'pino';
import { loadOnce } from '../platform/load-once.ts';

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
  // nodemailer (2-3 MB of heap) is loaded with the first email, not with every process.
  const transport = loadOnce(async () => {
    const { createTransport } = await import('nodemailer');
    return createTransport(smtpUrl);
  });
  return {
    async send(message) {
      const info = await (await transport()).sendMail({ from, ...message });
      return { response: String(info.response ?? '') };
    },
    close() {
      transport.started()?.then(
        (opened) => opened.close(),
        () => {},
      );
    },
  };
}
