import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokenEntity } from '../../database/entities';
import { OptionsModule } from '../options/options.module';
import { TokensController } from './tokens.controller';
import { TokensRepository } from './tokens.repository';
import { TokensService } from './tokens.service';

/** Users' API keys; exports TokensService (with the relay's cached `findByKey`). */
@Module({
  imports: [TypeOrmModule.forFeature([TokenEntity]), OptionsModule],
  controllers: [TokensController],
  providers: [TokensService, TokensRepository],
  exports: [TokensService],
})
export class TokensModule {}
