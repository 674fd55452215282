import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AbilityEntity, ChannelEntity } from '../../database/entities';
import { ChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';

/** Upstream channels and the abilities index; exports ChannelsService (abilities, change version, status). */
@Module({
  imports: [TypeOrmModule.forFeature([ChannelEntity, AbilityEntity])],
  controllers: [ChannelsController],
  providers: [ChannelsService, ChannelsRepository],
  exports: [ChannelsService],
})
export class ChannelsModule {}
