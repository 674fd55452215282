import { AbilityEntity } from './ability.entity';
import { ChannelEntity } from './channel.entity';
import { LogEntity } from './log.entity';
import { MidjourneyEntity } from './midjourney.entity';
import { ModelMetaEntity } from './model-meta.entity';
import { OptionEntity } from './option.entity';
import { QuotaDataEntity } from './quota-data.entity';
import { RedemptionEntity } from './redemption.entity';
import { SetupEntity } from './setup.entity';
import { TaskEntity } from './task.entity';
import { TokenEntity } from './token.entity';
import { TopUpEntity } from './top-up.entity';
import { UserEntity } from './user.entity';
import { VendorMetaEntity } from './vendor-meta.entity';

export {
  AbilityEntity,
  ChannelEntity,
  LogEntity,
  MidjourneyEntity,
  ModelMetaEntity,
  OptionEntity,
  QuotaDataEntity,
  RedemptionEntity,
  SetupEntity,
  TaskEntity,
  TokenEntity,
  TopUpEntity,
  UserEntity,
  VendorMetaEntity,
};

/** Entities of the main database (all but logs when LOG_SQL_DSN is set). */
export const MAIN_ENTITIES = [
  UserEntity,
  TokenEntity,
  ChannelEntity,
  AbilityEntity,
  OptionEntity,
  RedemptionEntity,
  TopUpEntity,
  MidjourneyEntity,
  TaskEntity,
  QuotaDataEntity,
  SetupEntity,
  ModelMetaEntity,
  VendorMetaEntity,
];

export const LOG_ENTITIES = [LogEntity];
