import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QuotaDataEntity } from '../../database/entities';
import { OptionsModule } from '../options/options.module';
import { DataController } from './data.controller';
import { DataRepository } from './data.repository';
import { DataService } from './data.service';

@Module({
  imports: [TypeOrmModule.forFeature([QuotaDataEntity]), OptionsModule],
  controllers: [DataController],
  providers: [DataRepository, DataService],
  exports: [DataService],
})
export class DataModule {}
