import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The decoded plain-text body. */
  text: string;
  /** The HTML body, when the message has one. */
  html: string;
}

export interface TestSmtpServer extends AsyncDisposable {
  url: string;
  messages: ReceivedMail[];
  /** Resolves with the first message to this address (matching `match`) that arrives or has arrived. */
  nextTo(address: string, match?: (mail: ReceivedMail) => boolean): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /** Answer the first N messages with a temporary failure (451), as a busy relay does. */
  refuseFirst?: number;
}

/** A real SMTP server on a free local port: the hub's mailer talks SMTP to it. */
export async function startTestSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let toRefuse = options.refuseFirst ?? 0;
  const waiters: {
    address: string;
    match: (mail: ReceivedMail) => boolean;
    resolve: (m: ReceivedMail) => void;
  }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      if (toRefuse > 0) {
        toRefuse -= 1;
        stream.resume();
        stream.on('end', () =>
          callback(Object.assign(new Error('Try again later'), { responseCode: 451 })),
        );
        return;
      }
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      simpleParser(stream).then((parsed) => {
        const html = typeof parsed.html === 'string' ? parsed.html : '';
        const mail = { to, subject: parsed.subject ?? '', text: parsed.text ?? '', html };
        messages.push(mail);
        for (const waiter of waiters.splice(0)) {
          if (mail.to.includes(waiter.address) && waiter.match(mail)) waiter.resolve(mail);
          else waiters.push(waiter);
        }
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    nextTo: (address, match = () => true) => {
      const lower = address.toLowerCase();
      const found = messages.find((m) => m.to.includes(lower) && match(m));
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ address: lower, match, resolve }));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
