import { emailProblem, generateResetPassword, generateResetToken, generateVerificationCode, resetLink, RESET_PASSWORD_LENGTH } from './email-rules';

const open = { domainRestriction: false, domainWhitelist: '', aliasRestriction: false };

describe('email rules', () => {
  it('accepts a plain address and refuses malformed or too long ones', () => {
    expect(emailProblem('ada@example.com', open)).toBeNull();
    expect(emailProblem('ada@example', open)).toMatch(/valid email/);
    expect(emailProblem('ada example@example.com', open)).toMatch(/valid email/);
    expect(emailProblem(`${'a'.repeat(45)}@example.com`, open)).toMatch(/valid email/);
  });

  it('restricts domains to the whitelist (case-insensitive) when the restriction is on', () => {
    const policy = { ...open, domainRestriction: true, domainWhitelist: 'gmail.com, qq.com' };
    expect(emailProblem('ada@GMail.com', policy)).toBeNull();
    expect(emailProblem('ada@example.com', policy)).toMatch(/gmail\.com, qq\.com/);
  });

  it('refuses + and . aliases only when the alias restriction is on', () => {
    expect(emailProblem('ada+x@gmail.com', open)).toBeNull();
    const policy = { ...open, aliasRestriction: true };
    expect(emailProblem('ada+x@gmail.com', policy)).toMatch(/alias/);
    expect(emailProblem('a.da@gmail.com', policy)).toMatch(/alias/);
    expect(emailProblem('ada@mail.gmail.com', policy)).toBeNull();
  });

  it('draws 6-character codes, 32-character reset tokens and 12-character passwords', () => {
    expect(generateVerificationCode()).toMatch(/^[0-9a-f]{6}$/);
    expect(generateResetToken()).toMatch(/^[0-9a-f]{32}$/);
    const password = generateResetPassword();
    expect(password).toHaveLength(RESET_PASSWORD_LENGTH);
    expect(password).toMatch(/^[a-zA-Z2-9]+$/);
    expect(new Set(Array.from({ length: 20 }, generateResetPassword)).size).toBe(20);
  });

  it('builds the reset link on the server address with the email and token encoded', () => {
    expect(resetLink('https://gw.example.com/', 'a+b@x.com', 'abc')).toBe('https://gw.example.com/user/reset?email=a%2Bb%40x.com&token=abc');
  });
});
