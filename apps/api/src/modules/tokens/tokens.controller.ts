import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { CreateTokenDto, UpdateTokenDto } from './dto/token.dto';
import { TokensService } from './tokens.service';

function parseId(raw: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) throw ApiError.badRequest('token/bad-id', 'Token id must be a positive integer');
  return id;
}

/** The caller's own API keys (New API controller/token.go). */
@Controller('api/token')
@UserAuth()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>) {
    return ok(await this.tokens.list(user.id, readPage(query)));
  }

  @Get('search')
  async search(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>) {
    const keyword = typeof query.keyword === 'string' ? query.keyword : undefined;
    const key = typeof query.token === 'string' ? query.token : undefined;
    return ok(await this.tokens.list(user.id, readPage(query), { keyword, key }));
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return ok(await this.tokens.get(user.id, parseId(id)));
  }

  @Post()
  @HttpCode(200)
  async create(@CurrentUser() user: AuthUser, @Body() body: CreateTokenDto) {
    return ok(await this.tokens.create(user, body));
  }

  @Put()
  async update(@CurrentUser() user: AuthUser, @Body() body: UpdateTokenDto, @Query('status_only') statusOnly?: string) {
    return ok(await this.tokens.update(user, body, statusOnly === 'true' || statusOnly === '1'));
  }

  @Delete(':id')
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    await this.tokens.remove(user.id, parseId(id));
    return ok();
  }
}
