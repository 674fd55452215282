import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { OptionsModule } from '../options/options.module';
import { ManagementRateLimitMiddleware } from './rate-limit.middleware';
import { RateLimitService } from './rate-limit.service';
import { UserRateLimitInterceptor } from './user-rate-limit.interceptor';

/**
 * Rate limits: per-IP limits on the management API (middleware below), per-user limits on a few
 * signed-in management routes (UserRateLimitInterceptor) and the per-user model
 * request limit the relay calls after authenticating (RateLimitService.admitModelRequest).
 * Global, so the relay can use the service without importing this module.
 */
@Global()
@Module({
  imports: [OptionsModule],
  providers: [RateLimitService, ManagementRateLimitMiddleware, { provide: APP_INTERCEPTOR, useClass: UserRateLimitInterceptor }],
  exports: [RateLimitService],
})
export class RateLimitModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Only /api routes: relay requests never reach this middleware.
    consumer.apply(ManagementRateLimitMiddleware).forRoutes('api/{*path}');
  }
}
