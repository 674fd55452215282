import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { OptionEntity } from '../../database/entities';
import { CacheInvalidationBus } from '../cache/cache-invalidation-bus.service';
import { isSecretOptionKey, OPTION_DEFINITIONS, OptionDefinition } from './option-defaults';

type Listener = (key: string, value: string) => void;

/**
 * Runtime options: defaults, overlaid by the options table, held in memory for the hot path.
 * An update is announced on CacheInvalidationBus (topic `option`, id = key) and every node reloads
 * that key; all options are also reloaded every SYNC_FREQUENCY seconds (the fallback without Redis).
 */
@Injectable()
export class OptionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OptionsService.name);
  private readonly values = new Map<string, string>();
  /** Parsed JSON per key, rebuilt only when the stored string changes. */
  private readonly parsed = new Map<string, { raw: string; value: unknown }>();
  private readonly listeners: Listener[] = [];
  private timer?: NodeJS.Timeout;
  /** Reloads run one after another, so a slow older read never overwrites a newer one. */
  private reloads: Promise<void> = Promise.resolve();

  constructor(
    @InjectRepository(OptionEntity) private readonly repository: Repository<OptionEntity>,
    private readonly config: AppConfig,
    private readonly bus: CacheInvalidationBus,
  ) {
    for (const [key, definition] of Object.entries(OPTION_DEFINITIONS)) this.values.set(key, definition.default);
    // An option changed on this or another node: read it back (no key: reload all, the bus may have missed some).
    bus.subscribe('option', (key) => this.queueReload(() => (key === undefined ? this.readAll() : this.readOne(key))));
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => this.logger.warn(`option reload failed: ${String(error)}`));
    }, this.config.env.SYNC_FREQUENCY * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  reload(): Promise<void> {
    return this.queueReload(() => this.readAll());
  }

  private queueReload(read: () => Promise<void>): Promise<void> {
    const done = this.reloads.then(read);
    this.reloads = done.catch(() => undefined);
    return done;
  }

  private async readAll(): Promise<void> {
    const rows = await this.repository.find();
    for (const row of rows) this.apply(row.key, row.value ?? '');
  }

  private async readOne(key: string): Promise<void> {
    const row = await this.repository.findOne({ where: { key } });
    if (row) this.apply(row.key, row.value ?? '');
  }

  /** Subscribe to changes (used by caches that derive from options). */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  get(key: string): string {
    return this.values.get(key) ?? '';
  }

  getBool(key: string): boolean {
    return this.get(key) === 'true';
  }

  getNumber(key: string): number {
    const value = Number(this.get(key));
    return Number.isFinite(value) ? value : Number(OPTION_DEFINITIONS[key]?.default ?? 0);
  }

  getJson<T>(key: string): T {
    const raw = this.get(key);
    const cached = this.parsed.get(key);
    if (cached && cached.raw === raw) return cached.value as T;
    let value: unknown;
    try {
      value = JSON.parse(raw || 'null');
    } catch {
      value = JSON.parse(OPTION_DEFINITIONS[key]?.default ?? 'null');
    }
    this.parsed.set(key, { raw, value });
    return value as T;
  }

  /** All options for the root settings page, without secrets. */
  listVisible(): { key: string; value: string }[] {
    return [...this.values.entries()]
      .filter(([key]) => !isSecretOptionKey(key))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ key, value }));
  }

  /**
   * The secret options (those GET /api/option/ leaves out) with whether each holds a value, for
   * the settings page's "set / not set"; never the values.
   */
  listSecretStatus(): { key: string; set: boolean }[] {
    return [...this.values.entries()]
      .filter(([key]) => isSecretOptionKey(key))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ key, set: value.trim() !== '' }));
  }

  /** Validates, stores and applies one option (PUT /api/option/). */
  async update(key: string, rawValue: unknown): Promise<void> {
    if (!key || typeof key !== 'string') throw ApiError.badRequest('option/missing-key', 'Option key is required');
    const value = this.normalise(key, rawValue, OPTION_DEFINITIONS[key]);
    this.checkDependencies(key, value);
    await this.repository.save({ key, value });
    this.apply(key, value);
    // Other nodes reload the key; this node's handler reads it back too, queued after any reload in
    // flight, so an older read cannot overwrite the new value.
    this.bus.publish('option', key);
  }

  private normalise(key: string, rawValue: unknown, definition: OptionDefinition | undefined): string {
    const text = typeof rawValue === 'string' ? rawValue : rawValue === undefined || rawValue === null ? '' : typeof rawValue === 'object' ? JSON.stringify(rawValue) : String(rawValue);
    if (!definition) return text;
    switch (definition.kind) {
      case 'string':
        return text;
      case 'bool':
        if (text !== 'true' && text !== 'false') throw ApiError.badRequest('option/invalid-value', `${key} must be true or false`);
        return text;
      case 'int':
        if (!/^-?\d+$/.test(text.trim())) throw ApiError.badRequest('option/invalid-value', `${key} must be an integer`);
        return String(Number(text));
      case 'number':
        if (text.trim() === '' || !Number.isFinite(Number(text))) throw ApiError.badRequest('option/invalid-value', `${key} must be a number`);
        return String(Number(text));
      case 'json': {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw ApiError.badRequest('option/invalid-json', `${key} must be valid JSON`);
        }
        const problem = definition.validate?.(parsed);
        if (problem) throw ApiError.badRequest('option/invalid-value', `${key}: ${problem}`);
        return text;
      }
    }
  }

  /** New API refuses to turn on a login method whose client id is not configured yet. */
  private checkDependencies(key: string, value: string): void {
    if (value !== 'true') return;
    const needs: Record<string, string> = {
      GitHubOAuthEnabled: 'GitHubClientId',
      LinuxDOOAuthEnabled: 'LinuxDOClientId',
      TelegramOAuthEnabled: 'TelegramBotToken',
      WeChatAuthEnabled: 'WeChatServerAddress',
      TurnstileCheckEnabled: 'TurnstileSiteKey',
      'oidc.enabled': 'oidc.client_id',
      EmailVerificationEnabled: 'SMTPServer',
    };
    const required = needs[key];
    // Mail may also go through the environment's EMAIL_SERVER (MailService).
    if (required === 'SMTPServer' && this.config.env.EMAIL_SERVER.trim()) return;
    if (required && !this.get(required)) {
      throw ApiError.badRequest('option/missing-dependency', `Set ${required} before enabling ${key}`);
    }
  }

  private apply(key: string, value: string): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    for (const listener of this.listeners) listener(key, value);
  }
}
