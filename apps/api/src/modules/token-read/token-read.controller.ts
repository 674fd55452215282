import { Controller, Get, HttpCode, Options, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { TokenReadService } from './token-read.service';

/** Any origin may read (New API answers these with CORS `*`); no credentials: the key is the caller. */
function allowAnyOrigin(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
}

/** New API's token-key read routes: `Authorization: Bearer sk-…` instead of a session. */
@Controller('api')
export class TokenReadController {
  constructor(private readonly reader: TokenReadService) {}

  /** Browser preflight: a cross-origin GET with an Authorization header asks first. */
  @Options(['log/token', 'usage/token'])
  @HttpCode(204)
  preflight(@Res({ passthrough: true }) res: Response): void {
    allowAnyOrigin(res);
    res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Max-Age', '86400');
  }

  @Get('log/token')
  async logs(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query() raw: Record<string, unknown>) {
    allowAnyOrigin(res);
    const token = await this.reader.authenticate(req);
    return ok(await this.reader.listLogs(token, readPage(raw)));
  }

  @Get('usage/token')
  async usage(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    allowAnyOrigin(res);
    return ok(await this.reader.usage(await this.reader.authenticate(req)));
  }
}
