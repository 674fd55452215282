import { HttpStatus, Injectable } from '@nestjs/common';
import { UserStatus } from '@your-api/contracts';
import { ApiError } from '../../common/api-error';
import { MailService } from '../mail/mail.service';
import { OptionsService } from '../options/options.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { retryAfterSeconds } from '../rate-limit/sliding-window';
import {
  emailProblem,
  generateResetPassword,
  generateResetToken,
  generateVerificationCode,
  resetLink,
  resetMail,
  VERIFICATION_VALID_MINUTES,
  verificationMail,
} from './email-rules';
import { hashPassword } from './passwords';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { type CodePurpose, VerificationCodesService } from './verification-codes.service';

const CODE_TTL_MS = VERIFICATION_VALID_MINUTES * 60_000;
/** One mail per address and purpose per this long: nobody can flood an inbox through this site. */
export const MAIL_INTERVAL_MS = 30_000;

/**
 * Email verification codes, password reset and email binding (New API controller/misc.go,
 * controller/user.go ResetPassword, EmailBind). Codes go out through MailService and are checked
 * once through VerificationCodesService.
 */
@Injectable()
export class AccountEmailService {
  constructor(
    private readonly users: UsersService,
    private readonly repository: UsersRepository,
    private readonly codes: VerificationCodesService,
    private readonly mail: MailService,
    private readonly options: OptionsService,
    private readonly rateLimit: RateLimitService,
  ) {}

  /** GET /api/verification?email=: mails a 6-character code for registration or binding. */
  async sendVerificationCode(rawEmail: string): Promise<void> {
    const email = rawEmail.trim();
    const problem = emailProblem(email, {
      domainRestriction: this.options.getBool('EmailDomainRestrictionEnabled'),
      domainWhitelist: this.options.get('EmailDomainWhitelist'),
      aliasRestriction: this.options.getBool('EmailAliasRestrictionEnabled'),
    });
    if (problem) throw ApiError.badRequest('user/invalid-email', problem);
    if (await this.repository.emailTaken(email)) throw ApiError.conflict('user/email-taken', 'This email address is already in use');
    await this.throttle('v', email);
    const code = generateVerificationCode();
    await this.codes.issue('v', email, code, CODE_TTL_MS);
    await this.mail.send({ to: email, ...verificationMail(this.systemName(), code) });
  }

  /**
   * GET /api/reset_password?email=: mails `{ServerAddress}/user/reset?email=&token=`. Unlike New API
   * an unknown address gets the same answer as a known one (and no mail), so the form does not
   * tell strangers which addresses have accounts.
   */
  async sendPasswordReset(rawEmail: string): Promise<void> {
    const email = rawEmail.trim();
    if (emailProblem(email, { domainRestriction: false, domainWhitelist: '', aliasRestriction: false })) {
      throw ApiError.badRequest('user/invalid-email', 'Enter a valid email address');
    }
    if (!this.mail.configured()) {
      throw ApiError.badRequest('mail/not-configured', 'This site cannot send mail: the administrator has not configured an SMTP server');
    }
    await this.throttle('r', email);
    const user = await this.repository.findByEmail(email);
    if (!user || user.status !== UserStatus.Enabled) return;
    const token = generateResetToken();
    await this.codes.issue('r', email, token, CODE_TTL_MS);
    await this.mail.send({ to: user.email, ...resetMail(this.systemName(), resetLink(this.options.get('ServerAddress'), email, token)) });
  }

  /** POST /api/user/reset {email, token}: a valid link (once) sets and answers a random 12-character password. */
  async resetPassword(rawEmail: string, token: string): Promise<string> {
    const email = rawEmail.trim();
    if (!(await this.codes.consume('r', email, token.trim()))) {
      throw ApiError.badRequest('user/reset-link-invalid', 'The reset link is invalid or has expired; ask for a new one');
    }
    const user = await this.repository.findByEmail(email);
    if (!user) throw ApiError.badRequest('user/reset-link-invalid', 'The reset link is invalid or has expired; ask for a new one');
    const password = generateResetPassword();
    await this.repository.update(user.id, { password: await hashPassword(password) });
    this.users.forget(user.id);
    return password;
  }

  /** /api/oauth/email/bind {email, code}: sets the caller's email after checking the code mailed to it. */
  async bindEmail(userId: number, rawEmail: string, code: string): Promise<void> {
    const email = rawEmail.trim();
    if (!email || !code.trim()) throw ApiError.badRequest('user/verification-required', 'email and code are required');
    if (!(await this.codes.consume('v', email, code.trim().toLowerCase()))) {
      throw ApiError.badRequest('user/verification-code-invalid', 'The verification code is wrong or has expired');
    }
    const owner = await this.repository.findByEmail(email, true);
    if (owner && owner.id !== userId) throw ApiError.conflict('user/email-taken', 'This email address is already in use');
    await this.repository.update(userId, { email });
    this.users.forget(userId);
  }

  private async throttle(purpose: CodePurpose, email: string): Promise<void> {
    const decision = await this.rateLimit.take(`mail:${purpose}:${email.toLowerCase()}`, 1, MAIL_INTERVAL_MS);
    if (!decision.allowed) {
      throw new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        'user/mail-too-soon',
        `A mail was just sent to this address; wait ${retryAfterSeconds(decision)} s before asking again`,
      );
    }
  }

  private systemName(): string {
    return this.options.get('SystemName').trim() || 'Your API';
  }
}
