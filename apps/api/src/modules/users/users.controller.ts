import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from '../../common/api-error';
import { TurnstileCheck } from '../turnstile/turnstile.guard';
import { AdminAuth, AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { AffTransferDto } from './dto/aff-transfer.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { LoginDto } from './dto/login.dto';
import { ManageUserDto } from './dto/manage-user.dto';
import { RegisterDto } from './dto/register.dto';
import { UpdateSelfDto } from './dto/update-self.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { startLoginSession } from './login-session';
import { toUserView, UsersService } from './users.service';

const userIdPipe = new ParseIntPipe({ exceptionFactory: () => ApiError.badRequest('user/invalid-id', 'The user id must be an integer') });

/** A query value as one string (repeated parameters arrive as arrays). */
function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value[0]);
  return typeof value === 'string' ? value : '';
}

/**
 * /api/user: New API's paths and JSON. Fixed paths are declared before `:id` so Express matches
 * them first.
 */
@Controller('api/user')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  // ------------------------------------------------------------ public

  @Post('login')
  @TurnstileCheck()
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() req: Request) {
    const user = await this.users.login(body.username, body.password);
    return ok(startLoginSession(req, user));
  }

  @Get('logout')
  logout(@Req() req: Request) {
    req.session = null;
    return ok();
  }

  @Post('register')
  @TurnstileCheck()
  @HttpCode(200)
  async register(@Body() body: RegisterDto) {
    const user = await this.users.register(body);
    return ok({ id: user.id, username: user.username }, 'Registration complete');
  }

  @Get('groups')
  groups() {
    return ok(this.users.usableGroups());
  }

  // ------------------------------------------------------------ self

  @Get('self')
  @UserAuth()
  async self(@CurrentUser() caller: AuthUser) {
    const user = await this.users.getById(caller.id);
    return ok(toUserView(user, { withAccessToken: true }));
  }

  @Put('self')
  @UserAuth()
  async updateSelf(@CurrentUser() caller: AuthUser, @Body() body: UpdateSelfDto) {
    const user = await this.users.updateSelf(caller.id, body);
    return ok(toUserView(user, { withAccessToken: true }));
  }

  @Delete('self')
  @UserAuth()
  async deleteSelf(@CurrentUser() caller: AuthUser, @Req() req: Request) {
    await this.users.deleteSelf(caller);
    req.session = null;
    return ok();
  }

  @Get('self/groups')
  @UserAuth()
  selfGroups(@CurrentUser() caller: AuthUser) {
    return ok(this.users.usableGroups(caller.group));
  }

  @Get('models')
  @UserAuth()
  async models(@CurrentUser() caller: AuthUser, @Query('group') group: unknown) {
    return ok(await this.users.modelsForUser(caller.id, queryText(group) || undefined));
  }

  @Get('token')
  @UserAuth()
  async accessToken(@CurrentUser() caller: AuthUser) {
    return ok(await this.users.regenerateAccessToken(caller.id));
  }

  @Get('aff')
  @UserAuth()
  async affCode(@CurrentUser() caller: AuthUser) {
    return ok(await this.users.getOrCreateAffCode(caller.id));
  }

  @Post('aff_transfer')
  @UserAuth()
  @HttpCode(200)
  async affTransfer(@CurrentUser() caller: AuthUser, @Body() body: AffTransferDto) {
    await this.users.transferAffQuota(caller.id, body.quota);
    return ok(undefined, 'Transferred');
  }

  // ------------------------------------------------------------ admin

  @Get()
  @AdminAuth()
  async list(@Query() query: Record<string, unknown>) {
    return ok(await this.users.list(readPage(query)));
  }

  @Get('search')
  @AdminAuth()
  async search(@Query() query: Record<string, unknown>) {
    return ok(await this.users.search(queryText(query.keyword), queryText(query.group), readPage(query)));
  }

  @Post('manage')
  @AdminAuth()
  @HttpCode(200)
  async manage(@CurrentUser() caller: AuthUser, @Body() body: ManageUserDto) {
    return ok(await this.users.manage(caller, body));
  }

  @Post()
  @AdminAuth()
  @HttpCode(200)
  async create(@CurrentUser() caller: AuthUser, @Body() body: CreateUserDto) {
    return ok(toUserView(await this.users.createByAdmin(caller, body)));
  }

  @Put()
  @AdminAuth()
  async update(@CurrentUser() caller: AuthUser, @Body() body: UpdateUserDto) {
    return ok(toUserView(await this.users.updateByAdmin(caller, body)));
  }

  @Get(':id')
  @AdminAuth()
  async get(@CurrentUser() caller: AuthUser, @Param('id', userIdPipe) id: number) {
    return ok(toUserView(await this.users.getManageable(caller, id)));
  }

  @Delete(':id')
  @AdminAuth()
  async remove(@CurrentUser() caller: AuthUser, @Param('id', userIdPipe) id: number) {
    await this.users.deleteByAdmin(caller, id);
    return ok();
  }
}
