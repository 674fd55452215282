import { AppConfig, ConfigError, readEnv } from './app-config';
import { ENV_SCHEMA } from './env-schema';

describe('readEnv', () => {
  it('fills every variable of the schema with its default when the environment is empty', () => {
    const env = readEnv({});
    expect(Object.keys(env).sort()).toEqual(Object.keys(ENV_SCHEMA).sort());
    expect(env.PORT).toBe(3000);
    expect(env.NODE_TYPE).toBe('master');
    expect(env.SQL_DSN).toBe('');
    expect(env.SQLITE_PATH).toBe('data/one-api.db');
    expect(env.MEMORY_CACHE_ENABLED).toBe(true);
    expect(env.BATCH_UPDATE_ENABLED).toBe(false);
    expect(env.METRIC_SUCCESS_RATE_THRESHOLD).toBe(0.8);
  });

  it('treats an empty value as unset', () => {
    expect(readEnv({ PORT: '', NODE_TYPE: '' })).toMatchObject({ PORT: 3000, NODE_TYPE: 'master' });
  });

  it('converts numbers, booleans and enums', () => {
    const env = readEnv({
      PORT: ' 8080 ',
      NODE_TYPE: 'slave',
      BATCH_UPDATE_ENABLED: 'TRUE',
      MEMORY_CACHE_ENABLED: '0',
      GENERATE_DEFAULT_TOKEN: 'yes',
      METRIC_SUCCESS_RATE_THRESHOLD: '0.65',
      GEMINI_VISION_MAX_IMAGE_NUM: '-1',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      NODE_TYPE: 'slave',
      BATCH_UPDATE_ENABLED: true,
      MEMORY_CACHE_ENABLED: false,
      GENERATE_DEFAULT_TOKEN: true,
      METRIC_SUCCESS_RATE_THRESHOLD: 0.65,
      GEMINI_VISION_MAX_IMAGE_NUM: -1,
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(readEnv({}))).toBe(true);
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer, got "abc"/],
    ['PORT', '3000.5', /PORT must be an integer/],
    ['PORT', '0', /PORT must be at least 1/],
    ['PORT', '65536', /PORT must be at most 65535/],
    ['NODE_TYPE', 'boss', /NODE_TYPE must be one of master, slave, got "boss"/],
    ['BATCH_UPDATE_ENABLED', 'maybe', /BATCH_UPDATE_ENABLED must be true or false, got "maybe"/],
    ['METRIC_SUCCESS_RATE_THRESHOLD', 'high', /METRIC_SUCCESS_RATE_THRESHOLD must be a number/],
    ['SQL_MAX_OPEN_CONNS', '0', /SQL_MAX_OPEN_CONNS must be at least 1/],
    ['SQL_DSN', 'garbage', /^SQL_DSN /],
    ['LOG_SQL_DSN', 'root@tcp(db/logs', /^LOG_SQL_DSN /],
  ])('refuses %s=%s with a ConfigError naming it', (name, value, message) => {
    expect(() => readEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => readEnv({ [name]: value })).toThrow(message);
  });

  it('keeps the message on one short line whatever was typed', () => {
    let message = '';
    try {
      readEnv({ NODE_TYPE: `master\nslave${'x'.repeat(500)}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^NODE_TYPE /);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(200);
  });

  it('accepts every default of the schema (no default is itself invalid)', () => {
    for (const [name, spec] of Object.entries(ENV_SCHEMA)) {
      expect(() => readEnv({ [name]: spec.default })).not.toThrow();
    }
  });
});

describe('AppConfig', () => {
  it('uses SESSION_SECRET, and CRYPTO_SECRET falls back to it', () => {
    const config = new AppConfig(readEnv({ SESSION_SECRET: 'session-secret' }));
    expect(config.sessionSecret).toBe('session-secret');
    expect(config.cryptoSecret).toBe('session-secret');
    expect(new AppConfig(readEnv({ SESSION_SECRET: 'a', CRYPTO_SECRET: 'b' })).cryptoSecret).toBe('b');
  });

  it('makes a random session secret per process when none is set', () => {
    const first = new AppConfig(readEnv({})).sessionSecret;
    const second = new AppConfig(readEnv({})).sessionSecret;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(first).not.toBe(second);
  });

  it('is master unless NODE_TYPE=slave', () => {
    expect(new AppConfig(readEnv({})).isMaster).toBe(true);
    expect(new AppConfig(readEnv({ NODE_TYPE: 'slave' })).isMaster).toBe(false);
  });
});
