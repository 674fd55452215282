/** Redis for the suites that need it: TEST_REDIS_URL, which must answer (a suite told to use Redis fails, never skips). */
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function requireRedis(url: string = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause = '';
  redis.on('error', (error: Error) => (cause ||= error.message));
  try {
    await redis.connect();
    const answer = await redis.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  } catch (error) {
    cause ||= error instanceof Error ? error.message : String(error);
    throw new Error(`this suite needs a real Redis at TEST_REDIS_URL=${url}, which is unreachable: ${cause}`, { cause: error });
  } finally {
    redis.disconnect();
  }
}
