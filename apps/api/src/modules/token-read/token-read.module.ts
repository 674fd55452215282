import { Module } from '@nestjs/common';
import { LogsModule } from '../logs/logs.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { TokenReadController } from './token-read.controller';
import { TokenReadService } from './token-read.service';

/** `GET /api/log/token` and `GET /api/usage/token/`, authenticated by the API key itself. */
@Module({
  imports: [LogsModule, TokensModule, UsersModule],
  controllers: [TokenReadController],
  providers: [TokenReadService],
})
export class TokenReadModule {}
