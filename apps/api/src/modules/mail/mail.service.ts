import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { OptionsService } from '../options/options.service';

/** An SMTP server that does not answer within this long fails the send (the caller is waiting). */
const SMTP_TIMEOUT_MS = 15_000;

interface SmtpSettings {
  host: string;
  port: number;
  account: string;
  password: string;
  from: string;
  secure: boolean;
}

export interface MailMessage {
  to: string;
  subject: string;
  /** HTML body (New API sends HTML mail). */
  html: string;
  /** Plain-text alternative. */
  text: string;
}

/**
 * Sends mail through the SMTP server in options (New API common/email.go): SMTPServer, SMTPPort,
 * SMTPAccount, SMTPToken (password), SMTPFrom (defaults to the account), SMTPSSLEnabled (implicit
 * TLS; port 465 implies it). Settings are read per message, so a change in the console applies at
 * once. While SMTPServer is empty, the environment's EMAIL_SERVER (host:port), EMAIL_FROM (sender
 * and login) and EMAIL_PASSWORD are used instead. Failures are reported without the server's
 * reply, which may echo credentials.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  constructor(
    private readonly options: OptionsService,
    private readonly config: AppConfig,
  ) {}

  /** Whether an SMTP server is configured at all. */
  configured(): boolean {
    return this.settings() !== null;
  }

  /** The options' SMTP server, else the environment's, else null. */
  private settings(): SmtpSettings | null {
    const host = this.options.get('SMTPServer').trim();
    if (host) {
      const port = this.options.getNumber('SMTPPort') || 587;
      const account = this.options.get('SMTPAccount').trim();
      return {
        host,
        port,
        account,
        password: this.options.get('SMTPToken'),
        from: this.options.get('SMTPFrom').trim() || account,
        secure: this.options.getBool('SMTPSSLEnabled') || port === 465,
      };
    }
    const server = this.config.env.EMAIL_SERVER.trim();
    if (!server) return null;
    const match = /^(.*?)(?::(\d+))?$/.exec(server);
    const port = Number(match?.[2] ?? 587);
    const from = this.config.env.EMAIL_FROM.trim();
    return { host: match?.[1] ?? server, port, account: from, password: this.config.env.EMAIL_PASSWORD, from, secure: port === 465 };
  }

  async send(message: MailMessage): Promise<void> {
    const settings = this.settings();
    if (!settings) {
      throw ApiError.badRequest('mail/not-configured', 'This site cannot send mail: the administrator has not configured an SMTP server');
    }
    const { host, port, account, password, from } = settings;
    const systemName = this.options.get('SystemName').trim() || 'Your API';
    const transport = nodemailer.createTransport({
      host,
      port,
      secure: settings.secure,
      auth: account ? { user: account, pass: password } : undefined,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
    try {
      await transport.sendMail({ from: { name: systemName, address: from }, to: message.to, subject: message.subject, html: message.html, text: message.text });
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'unknown';
      this.logger.warn(`sending mail through ${host}:${port} failed (${code})`);
      throw new ApiError(HttpStatus.BAD_GATEWAY, 'mail/send-failed', 'The mail could not be sent; try again later or ask the administrator to check the SMTP settings');
    } finally {
      transport.close();
    }
  }
}
