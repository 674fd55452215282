import { Global, Module } from '@nestjs/common';
import { CacheInvalidationBus } from './cache-invalidation-bus.service';

/**
 * Cache invalidation shared by every module that keeps database rows in memory (tokens, users,
 * options, the relay's routing index). Global, because those modules sit below each other in the
 * import graph and all need the same bus instance.
 */
@Global()
@Module({
  providers: [CacheInvalidationBus],
  exports: [CacheInvalidationBus],
})
export class CacheModule {}
