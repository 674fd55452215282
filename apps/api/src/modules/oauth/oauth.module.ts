import { Module } from '@nestjs/common';
import { OptionsModule } from '../options/options.module';
import { UsersModule } from '../users/users.module';
import { OAuthProvidersService } from './oauth-providers.service';
import { OAuthController } from './oauth.controller';
import { OAuthService } from './oauth.service';

/** Third-party login (GitHub, OIDC, LinuxDO, Telegram): users are created and sessions started through UsersModule. */
@Module({
  imports: [OptionsModule, UsersModule],
  controllers: [OAuthController],
  providers: [OAuthService, OAuthProvidersService],
  // /api/status shows the OIDC authorization endpoint found by discovery.
  exports: [OAuthProvidersService],
})
export class OAuthModule {}
