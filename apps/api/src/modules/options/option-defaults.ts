import {
  DEFAULT_CACHE_RATIO,
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_CREATE_CACHE_RATIO,
  DEFAULT_GROUP_RATIO,
  DEFAULT_MODEL_PRICE,
  DEFAULT_MODEL_RATIO,
  DEFAULT_USER_USABLE_GROUPS,
} from '@your-api/billing-math';

export type OptionKind = 'string' | 'bool' | 'int' | 'number' | 'json';

export interface OptionDefinition {
  kind: OptionKind;
  default: string;
  /** For json options: a check of the parsed value; returns an error message or null. */
  validate?: (value: unknown) => string | null;
}

const json = (value: unknown): string => JSON.stringify(value);

const ratioMap = (value: unknown): string | null => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object of name → number';
  for (const [name, ratio] of Object.entries(value)) {
    if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return `value of "${name}" must be a number`;
    if (ratio < 0) return `value of "${name}" must not be negative`;
  }
  return null;
};

const stringMap = (value: unknown): string | null => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object';
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== 'string') return `value of "${name}" must be a string`;
  }
  return null;
};

const anyJson = (): string | null => null;

const S = (value = ''): OptionDefinition => ({ kind: 'string', default: value });
const B = (value: boolean): OptionDefinition => ({ kind: 'bool', default: String(value) });
const I = (value: number): OptionDefinition => ({ kind: 'int', default: String(value) });
const N = (value: number): OptionDefinition => ({ kind: 'number', default: String(value) });
const J = (value: unknown, validate: (v: unknown) => string | null = anyJson): OptionDefinition => ({
  kind: 'json',
  default: json(value),
  validate,
});

/**
 * New API's runtime options (options table) with their defaults (§11). Values are stored as strings,
 * exactly as New API stores them, so its database and its admin scripts keep working.
 */
export const OPTION_DEFINITIONS: Record<string, OptionDefinition> = {
  // site
  SystemName: S('Your API'),
  Logo: S(),
  Footer: S(),
  Notice: S(),
  About: S(),
  HomePageContent: S(),
  ServerAddress: S('http://localhost:3000'),
  TopUpLink: S(),
  ChatLink: S(),
  ChatLink2: S(),
  Chats: J([]),
  DefaultCollapseSidebar: B(false),
  DisplayInCurrencyEnabled: B(true),
  DisplayTokenStatEnabled: B(true),
  DrawingEnabled: B(true),
  TaskEnabled: B(true),
  DataExportEnabled: B(true),
  DataExportInterval: I(5),
  DataExportDefaultTime: S('hour'),
  DemoSiteEnabled: B(false),
  SelfUseModeEnabled: B(false),
  Theme: S('default'),
  HeaderNavModules: S(),
  'general_setting.docs_link': S(''),
  'general_setting.quota_display_type': S('USD'),
  // auth and registration
  PasswordLoginEnabled: B(true),
  PasswordRegisterEnabled: B(true),
  RegisterEnabled: B(true),
  EmailVerificationEnabled: B(false),
  EmailDomainRestrictionEnabled: B(false),
  EmailAliasRestrictionEnabled: B(false),
  EmailDomainWhitelist: S('gmail.com,163.com,126.com,qq.com,outlook.com,hotmail.com,icloud.com,yahoo.com,foxmail.com'),
  GitHubOAuthEnabled: B(false),
  GitHubClientId: S(),
  GitHubClientSecret: S(),
  /** Your API: the provider endpoints are options (New API hard-codes them), so a test or a GitHub Enterprise can stand in. */
  GitHubTokenEndpoint: S('https://github.com/login/oauth/access_token'),
  GitHubUserEndpoint: S('https://api.github.com/user'),
  LinuxDOOAuthEnabled: B(false),
  LinuxDOClientId: S(),
  LinuxDOClientSecret: S(),
  LinuxDOMinimumTrustLevel: I(0),
  /** Your API: New API reads these from the env LINUX_DO_TOKEN_ENDPOINT / LINUX_DO_USER_ENDPOINT. */
  LinuxDOTokenEndpoint: S('https://connect.linux.do/oauth2/token'),
  LinuxDOUserEndpoint: S('https://connect.linux.do/api/user'),
  TelegramOAuthEnabled: B(false),
  TelegramBotToken: S(),
  TelegramBotName: S(),
  WeChatAuthEnabled: B(false),
  WeChatServerAddress: S(),
  WeChatServerToken: S(),
  WeChatAccountQRCodeImageURL: S(),
  TurnstileCheckEnabled: B(false),
  TurnstileSiteKey: S(),
  TurnstileSecretKey: S(),
  'oidc.enabled': B(false),
  'oidc.client_id': S(),
  'oidc.client_secret': S(),
  'oidc.well_known': S(),
  'oidc.authorization_endpoint': S(),
  'oidc.token_endpoint': S(),
  'oidc.user_info_endpoint': S(),
  'oidc.display_name': S('OIDC'),
  // smtp
  SMTPServer: S(),
  SMTPPort: I(587),
  SMTPAccount: S(),
  SMTPFrom: S(),
  SMTPToken: S(),
  SMTPSSLEnabled: B(false),
  // quota and billing
  QuotaPerUnit: N(500000),
  QuotaForNewUser: I(0),
  QuotaForInviter: I(0),
  QuotaForInvitee: I(0),
  QuotaRemindThreshold: I(1000),
  PreConsumedQuota: I(500),
  ModelRatio: J(DEFAULT_MODEL_RATIO, ratioMap),
  ModelPrice: J(DEFAULT_MODEL_PRICE, ratioMap),
  CompletionRatio: J(DEFAULT_COMPLETION_RATIO, ratioMap),
  CacheRatio: J(DEFAULT_CACHE_RATIO, ratioMap),
  CreateCacheRatio: J(DEFAULT_CREATE_CACHE_RATIO, ratioMap),
  GroupRatio: J(DEFAULT_GROUP_RATIO, ratioMap),
  UserUsableGroups: J(DEFAULT_USER_USABLE_GROUPS, stringMap),
  TopupGroupRatio: J({ default: 1, vip: 1, svip: 1 }, ratioMap),
  /** Your API: cap the upstream max_tokens so a limited token can never be overdrawn. */
  LimitedTokenCapEnabled: B(true),
  // payments
  PayAddress: S(),
  CustomCallbackAddress: S(),
  EpayId: S(),
  EpayKey: S(),
  Price: N(7.3),
  MinTopUp: I(1),
  USDExchangeRate: N(7.3),
  PayMethods: J([
    { name: 'Alipay', color: 'rgba(var(--semi-blue-5), 1)', type: 'alipay' },
    { name: 'WeChat', color: 'rgba(var(--semi-green-5), 1)', type: 'wxpay' },
  ]),
  StripeApiSecret: S(),
  StripeWebhookSecret: S(),
  StripePriceId: S(),
  StripeUnitPrice: N(8),
  StripeMinTopUp: I(1),
  StripePromotionCodesEnabled: B(false),
  /** New API latest: preset amounts of the wallet, and `{amount: multiplier}` discounts. */
  'payment_setting.amount_options': J([10, 20, 50, 100, 200, 500], (value) =>
    Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item) && item > 0) ? null : 'must be a JSON list of positive numbers',
  ),
  'payment_setting.amount_discount': J({}, ratioMap),
  // channels and relay
  RetryTimes: I(0),
  AutomaticDisableChannelEnabled: B(false),
  AutomaticEnableChannelEnabled: B(false),
  ChannelDisableThreshold: N(5),
  AutomaticDisableKeywords: S(
    [
      'Your credit balance is too low',
      'This organization has been disabled.',
      'You exceeded your current quota',
      'Permission denied',
      'The security token included in the request is invalid',
      'Operation not allowed',
      'Your account is not authorized',
    ].join('\n'),
  ),
  AutomaticDisableStatusCodes: S('401'),
  AutomaticRetryStatusCodes: S('100-199,300-399,401-407,409-499,500-503,505-523,525-599'),
  LogConsumeEnabled: B(true),
  StreamCacheQueueLength: I(0),
  // rate limits
  ModelRequestRateLimitEnabled: B(false),
  ModelRequestRateLimitDurationMinutes: I(1),
  ModelRequestRateLimitCount: I(0),
  ModelRequestRateLimitSuccessCount: I(1000),
  ModelRequestRateLimitGroup: J({}),
  // moderation
  CheckSensitiveEnabled: B(true),
  CheckSensitiveOnPromptEnabled: B(true),
  StopOnSensitiveEnabled: B(true),
  SensitiveWords: S('test_sensitive'),
  // midjourney
  MjNotifyEnabled: B(false),
  MjAccountFilterEnabled: B(false),
  MjModeClearEnabled: B(false),
  MjForwardUrlEnabled: B(true),
  MjActionCheckSuccessEnabled: B(true),
  // image fetch
  WorkerUrl: S(),
  WorkerValidKey: S(),
  WorkerAllowHttpImageRequestEnabled: B(false),
  /** Your API: download image URLs for every upstream, so upstreams never fetch user-supplied URLs. */
  InlineImageUrlsEnabled: B(false),
  // SSRF protection for image downloads (New API's fetch_setting; *_filter_mode: true = allow list, false = deny list)
  'fetch_setting.enable_ssrf_protection': B(true),
  'fetch_setting.allow_private_ip': B(false),
  // Strings as New API stores them ("80", or a range "8000-9000"); numbers are accepted too. [] = any port.
  'fetch_setting.allowed_ports': J(['80', '443', '8080', '8443'], (value) =>
    Array.isArray(value) && value.every((port) => typeof port === 'string' || typeof port === 'number')
      ? null
      : 'must be a JSON array of ports ("443") or port ranges ("8000-9000")',
  ),
  'fetch_setting.domain_filter_mode': B(false),
  'fetch_setting.domain_list': J([], (value) =>
    Array.isArray(value) && value.every((domain) => typeof domain === 'string') ? null : 'must be a JSON array of domains ("example.com", "*.example.com")',
  ),
  'fetch_setting.ip_filter_mode': B(false),
  'fetch_setting.ip_list': J([], (value) =>
    Array.isArray(value) && value.every((ip) => typeof ip === 'string') ? null : 'must be a JSON array of IPs or CIDR ranges',
  ),
  'fetch_setting.apply_ip_filter_for_domain': B(true),
  // console
  'console_setting.announcements': J([]),
  'console_setting.announcements_enabled': B(true),
  'console_setting.api_info': J([]),
  'console_setting.api_info_enabled': B(true),
  'console_setting.faq': J([]),
  'console_setting.faq_enabled': B(true),
  'token_setting.max_user_tokens': I(1000),
};

/** Keys never sent by GET /api/option/ (New API: suffixes Token, Secret, Key, secret, api_key). */
export function isSecretOptionKey(key: string): boolean {
  return /(Token|Secret|Key|secret|api_key)$/.test(key);
}
