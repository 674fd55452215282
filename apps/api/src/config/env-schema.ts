/**
 * Every environment variable the API reads, declared as data: name, kind, default and
 * a one-line description (the README's configuration table is written from this list).
 */
export type EnvKind = 'string' | 'int' | 'number' | 'bool' | 'enum';

export interface EnvVariable {
  kind: EnvKind;
  default?: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  description: string;
}

export const ENV_SCHEMA = {
  // server
  PORT: { kind: 'int', default: '3000', min: 1, max: 65535, description: 'HTTP port of the API' },
  TZ: { kind: 'string', default: '', description: 'Time zone of the process (used for daily rollups)' },
  SESSION_SECRET: { kind: 'string', default: '', description: 'Secret that signs session cookies; random per start when empty (set it for multi-node)' },
  CRYPTO_SECRET: { kind: 'string', default: '', description: 'Secret for encrypting database content; defaults to SESSION_SECRET' },
  FRONTEND_BASE_URL: { kind: 'string', default: '', description: 'Public URL of the web app (redirects and links)' },
  NODE_TYPE: { kind: 'enum', default: 'master', values: ['master', 'slave'], description: 'master runs migrations and background jobs; slave only serves' },
  CLUSTER_WORKERS: { kind: 'int', default: '0', min: 0, max: 256, description: 'Worker processes sharing the port (node:cluster), e.g. one per core; 0 or 1 = a single process. The first worker keeps NODE_TYPE, the others run as slave' },
  SYNC_FREQUENCY: { kind: 'int', default: '60', min: 1, description: 'Seconds between reloads of options and caches from the database' },
  INITIAL_ROOT_TOKEN: { kind: 'string', default: '', description: 'API key (without sk-) created for root on first start' },
  INITIAL_ROOT_ACCESS_TOKEN: { kind: 'string', default: '', description: 'Management access token set for root on first start' },
  MAX_REQUEST_BODY_MB: { kind: 'int', default: '32', min: 1, description: 'Largest request body accepted, in MiB' },
  TRUSTED_PROXIES: { kind: 'string', default: 'loopback', description: "Express 'trust proxy' setting for reading client IPs" },
  // database
  SQL_DSN: { kind: 'string', default: '', description: 'MySQL `user:pass@tcp(host:port)/db` or `postgres://…`; empty = SQLite' },
  LOG_SQL_DSN: { kind: 'string', default: '', description: 'Separate database for the logs table (same forms as SQL_DSN, or `sqlite:/path/logs.db`)' },
  SQLITE_PATH: { kind: 'string', default: 'data/one-api.db', description: 'SQLite file when SQL_DSN is empty (`?_busy_timeout=ms` is honoured)' },
  SQLITE_BUSY_TIMEOUT: { kind: 'int', default: '3000', min: 0, description: 'SQLite lock wait in ms' },
  SQL_MAX_IDLE_CONNS: { kind: 'int', default: '100', min: 0, description: 'Idle connections kept in the pool' },
  SQL_MAX_OPEN_CONNS: { kind: 'int', default: '1000', min: 1, description: 'Largest connection pool' },
  SQL_CONN_MAX_LIFETIME: { kind: 'int', default: '60', min: 0, description: 'Minutes a pooled connection lives (0 = no limit)' },
  SQL_MAX_LIFETIME: { kind: 'int', default: '0', min: 0, description: "New API's name for the connection lifetime, in seconds; overrides SQL_CONN_MAX_LIFETIME when set" },
  // cache
  REDIS_CONN_STRING: { kind: 'string', default: '', description: 'Redis URL; enables shared cache, rate limits and queues' },
  REDIS_CONN_POOL_SIZE: { kind: 'int', default: '10', min: 1, description: 'Redis connections' },
  REDIS_PASSWORD: { kind: 'string', default: '', description: 'Redis password (cluster or sentinel)' },
  REDIS_MASTER_NAME: { kind: 'string', default: '', description: 'Redis sentinel master name; REDIS_CONN_STRING then lists the sentinels as host:port,host:port' },
  REDIS_KEY_PREFIX: { kind: 'string', default: 'your-api', description: 'Prefix of what this deployment puts in Redis (the cache invalidation channel is `<prefix>:invalidate`); deployments sharing one Redis need different prefixes' },
  MEMORY_CACHE_ENABLED: { kind: 'bool', default: 'true', description: 'Cache tokens, users, channels and options in memory' },
  BATCH_UPDATE_ENABLED: { kind: 'bool', default: 'false', description: 'Aggregate quota counters and write them in batches' },
  BATCH_UPDATE_INTERVAL: { kind: 'int', default: '5', min: 1, description: 'Seconds between batch writes' },
  // users and tokens
  DEFAULT_QUOTA: { kind: 'int', default: '0', min: 0, description: 'Quota for new users when the QuotaForNewUser option is unset' },
  GLOBAL_USER_QUOTA: { kind: 'int', default: '0', min: 0, description: 'Upper bound on a user quota (0 = none)' },
  GENERATE_DEFAULT_TOKEN: { kind: 'bool', default: 'false', description: 'Create an unlimited API key for each new user' },
  NOTIFICATION_LIMIT_DURATION_MINUTE: { kind: 'int', default: '10', min: 1, description: 'Window of the notification limiter' },
  NOTIFY_LIMIT_COUNT: { kind: 'int', default: '2', min: 1, description: 'Notifications per window' },
  // rate limits
  GLOBAL_API_RATE_LIMIT_ENABLE: { kind: 'bool', default: 'true', description: 'Limit /api requests per IP' },
  GLOBAL_API_RATE_LIMIT: { kind: 'int', default: '180', min: 1, description: '/api requests per IP per window' },
  GLOBAL_API_RATE_LIMIT_DURATION: { kind: 'int', default: '180', min: 1, description: 'Window in seconds' },
  GLOBAL_WEB_RATE_LIMIT: { kind: 'int', default: '60', min: 1, description: 'Accepted for compatibility: the API serves no web pages (the web app is a separate server)' },
  GLOBAL_WEB_RATE_LIMIT_DURATION: { kind: 'int', default: '180', min: 1, description: 'Accepted for compatibility, like GLOBAL_WEB_RATE_LIMIT' },
  CRITICAL_RATE_LIMIT_ENABLE: { kind: 'bool', default: 'true', description: 'Limit sign-in, sign-up, password reset, OAuth, top-up and token-key requests per IP, and access-token and invite-transfer requests per user' },
  CRITICAL_RATE_LIMIT: { kind: 'int', default: '20', min: 1, description: 'Sign-in/sign-up/reset/OAuth/top-up requests per IP per window' },
  CRITICAL_RATE_LIMIT_DURATION: { kind: 'int', default: '1200', min: 1, description: 'Window in seconds' },
  SEARCH_RATE_LIMIT_ENABLE: { kind: 'bool', default: 'true', description: 'Limit token and own-log searches per user' },
  SEARCH_RATE_LIMIT: { kind: 'int', default: '10', min: 1, description: 'Searches per user per window' },
  SEARCH_RATE_LIMIT_DURATION: { kind: 'int', default: '60', min: 1, description: 'Window in seconds' },
  // relay
  RELAY_TIMEOUT: { kind: 'int', default: '0', min: 0, description: 'Upstream request timeout in seconds (0 = none)' },
  STREAMING_TIMEOUT: { kind: 'int', default: '300', min: 1, description: 'Seconds without a streamed chunk before giving up' },
  USER_CONTENT_REQUEST_TIMEOUT: { kind: 'int', default: '30', min: 1, description: 'Timeout for downloading user images and files' },
  MAX_FILE_DOWNLOAD_MB: { kind: 'int', default: '20', min: 1, description: 'Largest user file downloaded' },
  FORCE_STREAM_OPTION: { kind: 'bool', default: 'true', description: 'Ask upstreams for stream usage' },
  ENFORCE_INCLUDE_USAGE: { kind: 'bool', default: 'false', description: 'Always send the usage chunk to stream clients' },
  GET_MEDIA_TOKEN: { kind: 'bool', default: 'true', description: 'Count image tokens' },
  GET_MEDIA_TOKEN_NOT_STREAM: { kind: 'bool', default: 'true', description: 'Count image tokens for non-stream requests' },
  TIKTOKEN_CACHE_DIR: { kind: 'string', default: '', description: 'Accepted for compatibility; js-tiktoken ships its ranks' },
  DATA_GYM_CACHE_DIR: { kind: 'string', default: '', description: 'Accepted for compatibility' },
  ERROR_LOG_ENABLED: { kind: 'bool', default: 'false', description: 'Write error logs (type 5) for failed relays' },
  TLS_INSECURE_SKIP_VERIFY: { kind: 'bool', default: 'false', description: 'Skip TLS verification towards upstreams' },
  // channels
  CHANNEL_UPDATE_FREQUENCY: { kind: 'int', default: '0', min: 0, description: 'Minutes between channel balance refreshes (0 = off)' },
  CHANNEL_TEST_FREQUENCY: { kind: 'int', default: '0', min: 0, description: 'Minutes between automatic channel tests (0 = off)' },
  POLLING_INTERVAL: { kind: 'int', default: '0', min: 0, description: "Seconds to wait between channels when testing all channels or refreshing all balances (New API's RequestInterval)" },
  ENABLE_METRIC: { kind: 'bool', default: 'false', description: 'Disable channels by success rate' },
  METRIC_QUEUE_SIZE: { kind: 'int', default: '10', min: 1, description: 'Requests kept per channel for the success rate' },
  METRIC_SUCCESS_RATE_THRESHOLD: { kind: 'number', default: '0.8', min: 0, description: 'Success rate under which a channel is disabled' },
  TEST_PROMPT: { kind: 'string', default: 'hi', description: 'User message of chat channel tests (New API sends "hi")' },
  // provider specifics
  AZURE_DEFAULT_API_VERSION: { kind: 'string', default: '2024-12-01-preview', description: 'Azure api-version when the channel sets none' },
  COHERE_SAFETY_SETTING: { kind: 'enum', default: 'NONE', values: ['NONE', 'CONTEXTUAL', 'STRICT'], description: 'Cohere safety mode' },
  GEMINI_VISION_MAX_IMAGE_NUM: { kind: 'int', default: '16', min: -1, description: 'Most images sent to Gemini (-1 = no limit)' },
  GEMINI_VERSION: { kind: 'string', default: 'v1beta', description: 'Gemini API version' },
  DIFY_DEBUG: { kind: 'bool', default: 'true', description: 'Show Dify workflow and node events' },
  // async tasks
  UPDATE_TASK: { kind: 'bool', default: 'true', description: 'Poll Midjourney and Suno tasks' },
  TASK_POLL_INTERVAL_MS: { kind: 'int', default: '15000', min: 100, description: 'Milliseconds between polls of unfinished Midjourney and Suno tasks' },
  TASK_TIMEOUT_MINUTES: { kind: 'int', default: '1440', min: 1, description: 'Minutes before an unfinished task fails and is refunded' },
  TASK_PRICE_PATCHES: { kind: 'string', default: '', description: 'Comma-separated models billed on completion rather than submit' },
  // payments
  STRIPE_API_BASE: { kind: 'string', default: '', description: 'Base URL of the Stripe API (e.g. `http://127.0.0.1:12111` for a stripe-mock or test fake); empty = https://api.stripe.com' },
  // sign-in
  TURNSTILE_VERIFY_URL: { kind: 'string', default: '', description: 'Cloudflare Turnstile siteverify URL (a test fake); empty = https://challenges.cloudflare.com/turnstile/v0/siteverify' },
  // mail
  EMAIL_SERVER: { kind: 'string', default: '', description: 'SMTP server host:port' },
  EMAIL_FROM: { kind: 'string', default: '', description: 'Sender address' },
  EMAIL_PASSWORD: { kind: 'string', default: '', description: 'SMTP password' },
} as const satisfies Record<string, EnvVariable>;

export type EnvName = keyof typeof ENV_SCHEMA;
