import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Role } from '@your-api/contracts';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { SetupEntity, UserEntity } from '../../database/entities';
import { OAuthProvidersService } from '../oauth/oauth-providers.service';
import { OptionsService } from '../options/options.service';

export const VERSION = process.env.npm_package_version ?? '0.1.0';

/** Public site facts: /api/status (drives the web app), setup state, notice, about, home page. */
@Injectable()
export class SystemService {
  private readonly startTime = Math.floor(Date.now() / 1000);

  constructor(
    private readonly options: OptionsService,
    private readonly config: AppConfig,
    @InjectRepository(SetupEntity) private readonly setups: Repository<SetupEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly oauthProviders: OAuthProvidersService,
  ) {}

  async isSetUp(): Promise<boolean> {
    if ((await this.setups.count()) > 0) return true;
    return (await this.users.count({ where: { role: Role.Root } })) > 0;
  }

  /** Admin self-test (New API GET /api/status/test): the database answers and the options are loaded. */
  async selfTest(): Promise<{ database: boolean; options: boolean }> {
    await this.setups.query('SELECT 1');
    return { database: true, options: this.options.get('QuotaPerUnit') !== '' };
  }

  async status(databaseType: string): Promise<Record<string, unknown>> {
    const o = this.options;
    return {
      version: VERSION,
      start_time: this.startTime,
      email_verification: o.getBool('EmailVerificationEnabled'),
      github_oauth: o.getBool('GitHubOAuthEnabled'),
      github_client_id: o.get('GitHubClientId'),
      linuxdo_oauth: o.getBool('LinuxDOOAuthEnabled'),
      linuxdo_client_id: o.get('LinuxDOClientId'),
      linuxdo_minimum_trust_level: o.getNumber('LinuxDOMinimumTrustLevel'),
      telegram_oauth: o.getBool('TelegramOAuthEnabled'),
      telegram_bot_name: o.get('TelegramBotName'),
      system_name: o.get('SystemName'),
      logo: o.get('Logo'),
      footer_html: o.get('Footer'),
      wechat_qrcode: o.get('WeChatAccountQRCodeImageURL'),
      wechat_login: o.getBool('WeChatAuthEnabled'),
      server_address: o.get('ServerAddress'),
      turnstile_check: o.getBool('TurnstileCheckEnabled'),
      turnstile_site_key: o.get('TurnstileSiteKey'),
      docs_link: o.get('general_setting.docs_link'),
      quota_per_unit: o.getNumber('QuotaPerUnit'),
      display_in_currency: o.getBool('DisplayInCurrencyEnabled'),
      quota_display_type: o.get('general_setting.quota_display_type'),
      enable_batch_update: this.config.env.BATCH_UPDATE_ENABLED,
      enable_drawing: o.getBool('DrawingEnabled'),
      enable_task: o.getBool('TaskEnabled'),
      enable_data_export: o.getBool('DataExportEnabled'),
      data_export_default_time: o.get('DataExportDefaultTime'),
      default_collapse_sidebar: o.getBool('DefaultCollapseSidebar'),
      mj_notify_enabled: o.getBool('MjNotifyEnabled'),
      chats: o.getJson('Chats'),
      demo_site_enabled: o.getBool('DemoSiteEnabled'),
      self_use_mode_enabled: o.getBool('SelfUseModeEnabled'),
      oidc_enabled: o.getBool('oidc.enabled'),
      oidc_client_id: o.get('oidc.client_id'),
      // Set in options, or read from the discovery document when only oidc.well_known is set.
      oidc_authorization_endpoint: await this.oauthProviders.oidcAuthorizationEndpoint(),
      oidc_display_name: o.get('oidc.display_name'),
      register_enabled: o.getBool('RegisterEnabled'),
      password_login_enabled: o.getBool('PasswordLoginEnabled'),
      password_register_enabled: o.getBool('PasswordRegisterEnabled'),
      usd_exchange_rate: o.getNumber('USDExchangeRate'),
      price: o.getNumber('Price'),
      stripe_unit_price: o.getNumber('StripeUnitPrice'),
      top_up_link: o.get('TopUpLink'),
      theme: o.get('Theme'),
      HeaderNavModules: o.get('HeaderNavModules'),
      setup: await this.isSetUp(),
      database_type: databaseType,
      announcements_enabled: o.getBool('console_setting.announcements_enabled'),
      announcements: o.getJson('console_setting.announcements'),
      api_info_enabled: o.getBool('console_setting.api_info_enabled'),
      api_info: o.getJson('console_setting.api_info'),
      faq_enabled: o.getBool('console_setting.faq_enabled'),
      faq: o.getJson('console_setting.faq'),
    };
  }
}
