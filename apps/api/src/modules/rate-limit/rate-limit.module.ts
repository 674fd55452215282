import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { OptionsModule } from '../options/options.module';
import { ManagementRateLimitMiddleware } from './rate-limit.middleware';
import { RateLimitService } from './rate-limit.service';

/**
 * Rate limits: per-IP limits on the management API (middleware below) and the per-user model
 * request limit the relay calls after authenticating (RateLimitService.admitModelRequest).
 * Global, so the relay can use the service without importing this module.
 */
@Global()
@Module({
  imports: [OptionsModule],
  providers: [RateLimitService, ManagementRateLimitMiddleware],
  exports: [RateLimitService],
})
export class RateLimitModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Only /api routes: relay requests never reach this middleware.
    consumer.apply(ManagementRateLimitMiddleware).forRoutes('api/{*path}');
  }
}
