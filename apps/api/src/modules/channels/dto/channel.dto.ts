import { ChannelStatus } from '@your-api/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * Channel fields as New API's console sends them (JSON text fields stay strings). Only types are
 * checked here; the rules (known type, URL, JSON shapes, mapping cycles, column sizes) live in the service.
 * Fields the server owns (balance, used_quota, times) are not listed, so the pipe strips them.
 * class-validator runs a property's decorators bottom-up: the type check sits nearest the property
 * so a wrong type is reported before range or length.
 */
export class ChannelFieldsDto {
  @IsOptional()
  @IsInt({ message: 'type must be an integer channel type' })
  type?: number;

  @IsOptional()
  @IsString({ message: 'key must be a string' })
  key?: string;

  @IsOptional()
  @IsString({ message: 'openai_organization must be a string' })
  openai_organization?: string | null;

  @IsOptional()
  @IsString({ message: 'test_model must be a string' })
  test_model?: string | null;

  @IsOptional()
  @IsIn([ChannelStatus.Enabled, ChannelStatus.ManuallyDisabled, ChannelStatus.AutoDisabled], {
    message: 'status must be 1 (enabled), 2 (disabled) or 3 (auto-disabled)',
  })
  status?: number;

  @IsOptional()
  @IsString({ message: 'name must be a string' })
  name?: string;

  @IsOptional()
  @Min(0, { message: 'weight must not be negative' })
  @IsInt({ message: 'weight must be an integer' })
  weight?: number;

  @IsOptional()
  @IsInt({ message: 'priority must be an integer' })
  priority?: number;

  @IsOptional()
  @IsString({ message: 'base_url must be a string' })
  base_url?: string | null;

  @IsOptional()
  @IsString({ message: 'other must be a string' })
  other?: string | null;

  @IsOptional()
  @IsString({ message: 'models must be a comma-separated string' })
  models?: string;

  @IsOptional()
  @IsString({ message: 'group must be a comma-separated string' })
  group?: string;

  @IsOptional()
  @IsString({ message: 'model_mapping must be a JSON string' })
  model_mapping?: string | null;

  @IsOptional()
  @IsString({ message: 'status_code_mapping must be a JSON string' })
  status_code_mapping?: string | null;

  @IsOptional()
  @IsIn([0, 1], { message: 'auto_ban must be 0 or 1' })
  auto_ban?: number;

  @IsOptional()
  @IsString({ message: 'tag must be a string' })
  tag?: string | null;

  @IsOptional()
  @IsString({ message: 'setting must be a JSON string' })
  setting?: string | null;

  @IsOptional()
  @IsString({ message: 'param_override must be a JSON string' })
  param_override?: string | null;

  @IsOptional()
  @IsString({ message: 'other_info must be a string' })
  other_info?: string | null;

  /** With a multi-line key: keep the keys in one channel and pick one per request this way. */
  @IsOptional()
  @IsIn(['random', 'polling'], { message: 'multi_key_mode must be "random" or "polling"' })
  multi_key_mode?: 'random' | 'polling';
}

/**
 * POST /api/channel/: New API [v25.04] sends the channel itself; [latest] wraps it as
 * `{mode, multi_key_mode, channel}`. Both are accepted.
 */
export class CreateChannelDto extends ChannelFieldsDto {
  @IsOptional()
  @IsIn(['single', 'batch', 'multi_to_single'], { message: 'mode must be "single", "batch" or "multi_to_single"' })
  mode?: 'single' | 'batch' | 'multi_to_single';

  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelFieldsDto)
  @IsObject({ message: 'channel must be an object' })
  channel?: ChannelFieldsDto;
}

export class UpdateChannelDto extends ChannelFieldsDto {
  @IsInt({ message: 'id must be an integer' })
  id!: number;
}

export class ChannelIdsDto {
  @IsInt({ each: true, message: 'ids must contain integers' })
  @ArrayMaxSize(10_000, { message: 'ids has too many entries (at most 10000)' })
  @ArrayNotEmpty({ message: 'ids must not be empty' })
  @IsArray({ message: 'ids must be a list of channel ids' })
  ids!: number[];
}

export class BatchTagDto extends ChannelIdsDto {
  @IsOptional()
  @IsString({ message: 'tag must be a string' })
  tag?: string | null;
}

export class TagDto {
  @IsNotEmpty({ message: 'tag is required' })
  @IsString({ message: 'tag must be a string' })
  tag!: string;
}

/** PUT /api/channel/tag: fields applied to every channel of the tag. */
export class EditTagDto extends TagDto {
  @IsOptional()
  @IsString({ message: 'new_tag must be a string' })
  new_tag?: string | null;

  @IsOptional()
  @IsInt({ message: 'priority must be an integer' })
  priority?: number | null;

  @IsOptional()
  @Min(0, { message: 'weight must not be negative' })
  @IsInt({ message: 'weight must be an integer' })
  weight?: number | null;

  @IsOptional()
  @IsString({ message: 'models must be a comma-separated string' })
  models?: string | null;

  @IsOptional()
  @IsString({ message: 'groups must be a comma-separated string' })
  groups?: string | null;

  @IsOptional()
  @IsString({ message: 'model_mapping must be a JSON string' })
  model_mapping?: string | null;
}

export class FetchModelsDto {
  @IsOptional()
  @MaxLength(2048, { message: 'base_url is too long' })
  @IsString({ message: 'base_url must be a string' })
  base_url?: string;

  @IsInt({ message: 'type must be an integer channel type' })
  type!: number;

  @IsNotEmpty({ message: 'key is required' })
  @IsString({ message: 'key must be a string' })
  key!: string;
}
