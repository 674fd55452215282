import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the sink received, with its raw MIME source and a decoded text for assertions. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The authenticated SMTP user ('' when the client did not log in). */
  user: string;
  raw: string;
  /** `raw` with quoted-printable soft breaks and escapes undone (what a mail client shows). */
  text: string;
  subject: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  mails: ReceivedMail[];
  /** Waits for the next mail to `to` (case-insensitive) received after this call's `since` count. */
  waitForMail(to: string, options?: { since?: number; timeoutMs?: number }): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** Quoted-printable decoding (RFC 2045) of a whole message: enough to read codes and links. */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A real SMTP server (the `smtp-server` package) on a free local port, accepting mail for anyone
 * and keeping it in memory. Without TLS; when `credentials` are given, the client must log in with them.
 */
export async function startSmtpSink(credentials?: { user: string; password: string }): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !credentials,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const text = decodeQuotedPrintable(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          user: typeof session.user === 'string' ? session.user : '',
          raw,
          text,
          subject: /^Subject: (.*)$/m.exec(text)?.[1]?.trim() ?? '',
        });
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  const waitForMail = (to: string, options: { since?: number; timeoutMs?: number } = {}): Promise<ReceivedMail> => {
    const since = options.since ?? 0;
    const find = () => mails.slice(since).find((mail) => mail.to.some((address) => address.toLowerCase() === to.toLowerCase()));
    return new Promise((resolve, reject) => {
      const found = find();
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no mail to ${to} within ${options.timeoutMs ?? 10_000} ms`));
      }, options.timeoutMs ?? 10_000);
      const check = () => {
        const mail = find();
        if (!mail) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(mail);
      };
      waiters.add(check);
    });
  };

  return {
    host: '127.0.0.1',
    port,
    mails,
    waitForMail,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
