/**
 * Pure rules of email verification and password reset (New API controller/misc.go, common/verification.go).
 */
import { randomBytes, randomInt } from 'node:crypto';

/** New API VerificationValidMinutes. */
export const VERIFICATION_VALID_MINUTES = 10;
export const EMAIL_MAX_LENGTH = 50;
/** New API's reset gives the user a random 12-character password. */
export const RESET_PASSWORD_LENGTH = 12;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface EmailPolicy {
  domainRestriction: boolean;
  /** EmailDomainWhitelist, comma separated. */
  domainWhitelist: string;
  aliasRestriction: boolean;
}

/** Why an address may not receive a verification code, or null when it may. */
export function emailProblem(email: string, policy: EmailPolicy): string | null {
  if (!email || email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email)) return 'Enter a valid email address';
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (policy.domainRestriction) {
    const allowed = policy.domainWhitelist
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean);
    if (!allowed.includes(domain)) return `Only addresses of these domains may register: ${allowed.join(', ')}`;
  }
  if (policy.aliasRestriction && (local.includes('+') || local.includes('.'))) {
    return 'Addresses with an alias (+ or . in the name) are not accepted';
  }
  return null;
}

/** The 6-character code mailed for email verification (New API: 6 characters of a UUID). */
export function generateVerificationCode(): string {
  return randomBytes(3).toString('hex');
}

/** The token in a password reset link (New API: a whole UUID without dashes, 32 hex characters). */
export function generateResetToken(): string {
  return randomBytes(16).toString('hex');
}

const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A new random password after a reset: 12 characters without look-alikes (0/O, 1/l/I). */
export function generateResetPassword(): string {
  let out = '';
  for (let i = 0; i < RESET_PASSWORD_LENGTH; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

/** `{ServerAddress}/user/reset?email=&token=` (New API's link; the web app serves that page). */
export function resetLink(serverAddress: string, email: string, token: string): string {
  const base = serverAddress.trim().replace(/\/+$/, '');
  return `${base}/user/reset?${new URLSearchParams({ email, token }).toString()}`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function verificationMail(systemName: string, code: string): { subject: string; html: string; text: string } {
  const name = escapeHtml(systemName);
  return {
    subject: `${systemName} email verification`,
    html:
      `<p>Hello, you are verifying your email address for ${name}.</p>` +
      `<p>Your verification code is: <strong>${code}</strong></p>` +
      `<p>The code is valid for ${VERIFICATION_VALID_MINUTES} minutes. If you did not ask for it, ignore this mail.</p>`,
    text: `Your ${systemName} verification code is: ${code}\nIt is valid for ${VERIFICATION_VALID_MINUTES} minutes. If you did not ask for it, ignore this mail.`,
  };
}

export function resetMail(systemName: string, link: string): { subject: string; html: string; text: string } {
  const name = escapeHtml(systemName);
  const href = escapeHtml(link);
  return {
    subject: `${systemName} password reset`,
    html:
      `<p>Hello, you asked to reset your ${name} password.</p>` +
      `<p>Open this link to get a new password: <a href="${href}">${href}</a></p>` +
      `<p>The link is valid for ${VERIFICATION_VALID_MINUTES} minutes and works once. If you did not ask for it, ignore this mail.</p>`,
    text: `Open this link to reset your ${systemName} password (valid for ${VERIFICATION_VALID_MINUTES} minutes, once):\n${link}\nIf you did not ask for it, ignore this mail.`,
  };
}
