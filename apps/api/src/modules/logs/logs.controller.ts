import { Controller, Delete, Get, Query } from '@nestjs/common';
import { AdminAuth, AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { DeleteLogsDto } from './dto/delete-logs.dto';
import { LogQueryDto, toLogFilter } from './dto/log-query.dto';
import { LogSearchDto } from './dto/log-search.dto';
import { LogsService } from './logs.service';

/** New API's /api/log routes: admins see every log, users their own (without channel details). */
@Controller('api/log')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get()
  @AdminAuth()
  async listAll(@Query() query: LogQueryDto, @Query() raw: Record<string, unknown>) {
    return ok(await this.logs.listAll(toLogFilter(query), readPage(raw)));
  }

  @Get('search')
  @AdminAuth()
  async searchAll(@Query() query: LogSearchDto) {
    return ok(await this.logs.searchAll(query.keyword?.trim() ?? ''));
  }

  @Get('stat')
  @AdminAuth()
  async statAll(@Query() query: LogQueryDto) {
    return ok(await this.logs.stat(toLogFilter(query)));
  }

  @Get('self')
  @UserAuth()
  async listOwn(@CurrentUser() caller: AuthUser, @Query() query: LogQueryDto, @Query() raw: Record<string, unknown>) {
    return ok(await this.logs.listOwn(caller.id, toLogFilter(query), readPage(raw)));
  }

  @Get('self/search')
  @UserAuth()
  async searchOwn(@CurrentUser() caller: AuthUser, @Query() query: LogSearchDto) {
    return ok(await this.logs.searchOwn(caller.id, query.keyword?.trim() ?? ''));
  }

  @Get('self/stat')
  @UserAuth()
  async statOwn(@CurrentUser() caller: AuthUser, @Query() query: LogQueryDto) {
    return ok(await this.logs.statOwn(caller.id, toLogFilter(query)));
  }

  @Delete()
  @AdminAuth()
  async deleteOld(@Query() query: DeleteLogsDto) {
    return ok(await this.logs.deleteBefore(query.target_timestamp));
  }
}
