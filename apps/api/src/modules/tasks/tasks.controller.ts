import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { isMjSubmitRoute } from '@your-api/provider-adapters';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { AdminAuth, AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { MjQueryDto, TaskQueryDto } from './dto/task-query.dto';
import { MidjourneyService } from './midjourney.service';
import { SunoService } from './suno.service';
import { TaskLogsService } from './task-logs.service';

const MJ_SUBMIT_PATHS = [
  'submit/imagine',
  'submit/change',
  'submit/simple-change',
  'submit/action',
  'submit/modal',
  'submit/describe',
  'submit/blend',
  'submit/shorten',
  'submit/upload-discord-images',
  'submit/video',
  'submit/edits',
  'insight-face/swap',
];

/** Midjourney-Proxy routes at /mj and /:mode/mj (the mode prefix is forwarded upstream). API-key auth. */
@Controller()
export class MidjourneyController {
  constructor(private readonly midjourney: MidjourneyService) {}

  @Post([...MJ_SUBMIT_PATHS.map((p) => `mj/${p}`), ...MJ_SUBMIT_PATHS.map((p) => `:mode/mj/${p}`)])
  submit(@Req() req: Request, @Res() res: Response): Promise<void> {
    const route = req.path.slice(req.path.indexOf('/mj/') + 4);
    if (!isMjSubmitRoute(route)) throw ApiError.notFound('midjourney/route-not-found', 'not_found');
    return this.midjourney.submit(route, req, res);
  }

  @Get(['mj/task/:id/fetch', ':mode/mj/task/:id/fetch'])
  fetch(@Param('id') id: string, @Req() req: Request) {
    return this.midjourney.fetch(id, req);
  }

  @Post(['mj/task/list-by-condition', ':mode/mj/task/list-by-condition'])
  @HttpCode(200)
  listByCondition(@Req() req: Request) {
    return this.midjourney.listByCondition(req);
  }

  /** Public: proxies the stored image of a task, so clients never see the upstream's host. */
  @Get(['mj/image/:id', ':mode/mj/image/:id'])
  async image(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const image = await this.midjourney.image(id);
    res.status(200).setHeader('content-type', image.contentType);
    res.end(image.body);
  }
}

/** Suno routes (API-key auth); errors as `{code, message, data}`. */
@Controller('suno')
export class SunoController {
  constructor(private readonly suno: SunoService) {}

  @Post('submit/:action')
  @HttpCode(200)
  submit(@Param('action') action: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.suno.submit(action, req, res);
  }

  @Post('fetch')
  @HttpCode(200)
  fetchMany(@Req() req: Request) {
    return this.suno.fetchMany(req);
  }

  @Get('fetch/:id')
  fetchOne(@Param('id') id: string, @Req() req: Request) {
    return this.suno.fetchOne(id, req);
  }
}

/** New API's task logs: /api/mj (Midjourney) and /api/task (Suno and other async tasks). */
@Controller('api')
export class TaskLogsController {
  constructor(private readonly logs: TaskLogsService) {}

  @Get('mj/self')
  @UserAuth()
  async listOwnMj(@CurrentUser() caller: AuthUser, @Query() query: MjQueryDto, @Query() raw: Record<string, unknown>) {
    return ok(await this.logs.listMj(query, readPage(raw), caller.id));
  }

  @Get('mj')
  @AdminAuth()
  async listAllMj(@Query() query: MjQueryDto, @Query() raw: Record<string, unknown>) {
    return ok(await this.logs.listMj(query, readPage(raw), null));
  }

  @Get('task/self')
  @UserAuth()
  async listOwnTasks(@CurrentUser() caller: AuthUser, @Query() query: TaskQueryDto, @Query() raw: Record<string, unknown>) {
    return ok(await this.logs.listTasks(query, readPage(raw), caller.id));
  }

  @Get('task')
  @AdminAuth()
  async listAllTasks(@Query() query: TaskQueryDto, @Query() raw: Record<string, unknown>) {
    return ok(await this.logs.listTasks(query, readPage(raw), null));
  }
}
