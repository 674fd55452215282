/**
 * Every user-facing string of the web app (console pages in console-messages.ts).
 * `en` defines the shape; every other locale must provide the same keys
 * (the `Messages` type enforces it). Placeholders look like `{name}`; fill
 * them with `format()`.
 */
import { accountEn, accountZh } from './account-messages';
import { adminEn, adminZh } from './admin-messages';
import { consoleEn, consoleZh } from './console-messages';
import { siteEn, siteZh } from './site-messages';

export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
export const LOCALE_COOKIE = 'lang';

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', zh: '中文' };

const en = {
  common: {
    productName: 'Your API',
    language: 'Language',
    loading: 'Loading…',
    yes: 'Yes',
    no: 'No',
    apiUnreachable: 'The API server is not reachable right now.',
    backHome: 'Back to home',
  },
  nav: {
    home: 'Home',
    pricing: 'Pricing',
    docs: 'Docs',
    status: 'Status',
    login: 'Sign in',
    console: 'Console',
    overview: 'Overview',
    logout: 'Sign out',
    menu: 'Menu',
  },
  home: {
    heroTitle: '{name}',
    heroSubtitle:
      'One OpenAI-compatible endpoint for every model: route, meter and manage access to your LLM providers.',
    ctaLogin: 'Sign in',
    ctaConsole: 'Open console',
    ctaPricing: 'See pricing',
    baseUrlLabel: 'API base URL',
    defaultIntroTitle: 'Getting started',
    defaultIntro:
      'Create an API key in the console, then point any OpenAI-compatible client at the base URL below.',
    iframeTitle: 'Home page content',
  },
  status: {
    title: 'System status',
    description: 'Public information the API reports at /api/status.',
    unavailable: 'Status is unavailable: the API did not answer.',
    version: 'Version',
    startTime: 'Started at',
    uptime: 'Uptime',
    systemName: 'System name',
    quotaPerUnit: 'Quota per unit (USD 1)',
    setup: 'Initial setup done',
    allFields: 'All fields',
    field: 'Field',
    value: 'Value',
  },
  login: {
    title: 'Sign in',
    subtitle: 'Sign in to {name}',
    username: 'Username or email',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    failed: 'Sign-in failed.',
    passwordLoginDisabled: 'Password sign-in is disabled by the administrator.',
    twoFactorUnsupported: 'This account uses two-factor authentication, which this console does not support yet.',
    required: 'Enter your username and password.',
  },
  console: {
    title: 'Console',
    welcome: 'Welcome, {name}',
    username: 'Username',
    displayName: 'Display name',
    role: 'Role',
    group: 'Group',
    quota: 'Balance',
    usedQuota: 'Used',
    requestCount: 'Requests',
    loadFailed: 'Could not load your profile.',
    sessionExpired: 'Your session has expired. Please sign in again.',
    retry: 'Retry',
    roles: {
      guest: 'Guest',
      common: 'User',
      admin: 'Administrator',
      root: 'Root',
    },
  },
  notFound: {
    title: 'Page not found',
    body: 'The page you are looking for does not exist.',
  },
  ...consoleEn,
  ...siteEn,
  ...adminEn,
  ...accountEn,
};

export type Messages = typeof en;

const zh: Messages = {
  common: {
    productName: 'Your API',
    language: '语言',
    loading: '加载中…',
    yes: '是',
    no: '否',
    apiUnreachable: '暂时无法连接 API 服务。',
    backHome: '返回首页',
  },
  nav: {
    home: '首页',
    pricing: '定价',
    docs: '文档',
    status: '状态',
    login: '登录',
    console: '控制台',
    overview: '概览',
    logout: '退出登录',
    menu: '菜单',
  },
  home: {
    heroTitle: '{name}',
    heroSubtitle: '一个兼容 OpenAI 的统一接口接入所有模型：路由、计费并管理对各家大模型服务的访问。',
    ctaLogin: '登录',
    ctaConsole: '进入控制台',
    ctaPricing: '查看定价',
    baseUrlLabel: 'API 地址',
    defaultIntroTitle: '快速开始',
    defaultIntro: '在控制台创建 API 令牌，然后在任意兼容 OpenAI 的客户端中填写下面的 API 地址。',
    iframeTitle: '首页内容',
  },
  status: {
    title: '系统状态',
    description: 'API 在 /api/status 公开的信息。',
    unavailable: '无法获取状态：API 没有响应。',
    version: '版本',
    startTime: '启动时间',
    uptime: '运行时长',
    systemName: '系统名称',
    quotaPerUnit: '单位额度（1 美元）',
    setup: '已完成初始化',
    allFields: '全部字段',
    field: '字段',
    value: '值',
  },
  login: {
    title: '登录',
    subtitle: '登录 {name}',
    username: '用户名或邮箱',
    password: '密码',
    submit: '登录',
    submitting: '登录中…',
    failed: '登录失败。',
    passwordLoginDisabled: '管理员已关闭密码登录。',
    twoFactorUnsupported: '该账户启用了两步验证，当前控制台暂不支持。',
    required: '请输入用户名和密码。',
  },
  console: {
    title: '控制台',
    welcome: '欢迎，{name}',
    username: '用户名',
    displayName: '显示名称',
    role: '角色',
    group: '分组',
    quota: '余额',
    usedQuota: '已用额度',
    requestCount: '请求次数',
    loadFailed: '无法加载用户信息。',
    sessionExpired: '登录已过期，请重新登录。',
    retry: '重试',
    roles: {
      guest: '访客',
      common: '普通用户',
      admin: '管理员',
      root: '超级管理员',
    },
  },
  notFound: {
    title: '页面不存在',
    body: '你访问的页面不存在。',
  },
  ...consoleZh,
  ...siteZh,
  ...adminZh,
  ...accountZh,
};

export const dictionaries: Record<Locale, Messages> = { en, zh };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks a locale from a cookie value, then Accept-Language, then the default. */
export function resolveLocale(cookieValue?: string | null, acceptLanguage?: string | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  if (acceptLanguage) {
    for (const part of acceptLanguage.split(',')) {
      const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
      const base = tag.split('-')[0];
      if (isLocale(base)) return base;
    }
  }
  return DEFAULT_LOCALE;
}

/** Replaces `{key}` placeholders. */
export function format(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in vars ? String(vars[key]) : m));
}
