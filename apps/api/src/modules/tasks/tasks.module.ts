import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MidjourneyEntity, TaskEntity } from '../../database/entities';
import { BillingModule } from '../billing/billing.module';
import { ChannelsModule } from '../channels/channels.module';
import { LogsModule } from '../logs/logs.module';
import { OptionsModule } from '../options/options.module';
import { RelayModule } from '../relay/relay.module';
import { UsersModule } from '../users/users.module';
import { MidjourneyService } from './midjourney.service';
import { SunoService } from './suno.service';
import { TaskBillingService } from './task-billing.service';
import { TaskLogsService } from './task-logs.service';
import { TaskPollerService } from './task-poller.service';
import { MidjourneyController, SunoController, TaskLogsController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';

/** Async tasks: the Midjourney-Proxy and Suno relays, their poller (refunds on failure) and the task logs. */
@Module({
  imports: [TypeOrmModule.forFeature([MidjourneyEntity, TaskEntity]), RelayModule, BillingModule, ChannelsModule, LogsModule, OptionsModule, UsersModule],
  controllers: [MidjourneyController, SunoController, TaskLogsController],
  providers: [MidjourneyService, SunoService, TaskBillingService, TaskLogsService, TaskPollerService, TasksRepository],
  exports: [TaskPollerService],
})
export class TasksModule {}
