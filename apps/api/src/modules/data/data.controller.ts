import { Controller, Get, Query } from '@nestjs/common';
import { AdminAuth, AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { DataService } from './data.service';
import { DataQueryDto } from './dto/data-query.dto';

/** Hourly usage rows behind the dashboard charts. */
@Controller('api/data')
export class DataController {
  constructor(private readonly data: DataService) {}

  @Get()
  @AdminAuth()
  async listAll(@Query() query: DataQueryDto) {
    return ok(
      await this.data.listAll({
        startTimestamp: query.start_timestamp,
        endTimestamp: query.end_timestamp,
        username: query.username || undefined,
      }),
    );
  }

  @Get('self')
  @UserAuth()
  async listOwn(@CurrentUser() caller: AuthUser, @Query() query: DataQueryDto) {
    return ok(await this.data.listOwn(caller.id, { startTimestamp: query.start_timestamp, endTimestamp: query.end_timestamp }));
  }
}
