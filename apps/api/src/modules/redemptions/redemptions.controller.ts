import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AdminAuth, AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { CreateRedemptionDto, TopUpDto, UpdateRedemptionDto } from './dto/redemption.dto';
import { RedemptionsService } from './redemptions.service';

const idPipe = new ParseIntPipe({ exceptionFactory: () => ApiError.badRequest('redemption/bad-id', 'The redemption code id must be an integer') });

/** A query value as one string (repeated parameters arrive as arrays). */
function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value[0]);
  return typeof value === 'string' ? value : '';
}

/** /api/redemption: admins issue and manage codes (New API controller/redemption.go). Fixed paths come before `:id`. */
@Controller('api/redemption')
@AdminAuth()
export class RedemptionsController {
  constructor(private readonly redemptions: RedemptionsService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>) {
    return ok(await this.redemptions.list(readPage(query)));
  }

  @Get('search')
  async search(@Query() query: Record<string, unknown>) {
    return ok(await this.redemptions.list(readPage(query), queryText(query.keyword)));
  }

  @Post()
  @HttpCode(200)
  async create(@CurrentUser() caller: AuthUser, @Body() body: CreateRedemptionDto) {
    return ok(await this.redemptions.create(caller, body));
  }

  @Put()
  async update(@Body() body: UpdateRedemptionDto, @Query('status_only') statusOnly?: string) {
    return ok(await this.redemptions.update(body, statusOnly === 'true' || statusOnly === '1'));
  }

  @Delete('invalid')
  async removeInvalid() {
    return ok(await this.redemptions.removeInvalid());
  }

  @Get(':id')
  async get(@Param('id', idPipe) id: number) {
    return ok(await this.redemptions.get(id));
  }

  @Delete(':id')
  async remove(@Param('id', idPipe) id: number) {
    await this.redemptions.remove(id);
    return ok();
  }
}

/** POST /api/user/topup: a user redeems a code (New API controller/user.go TopUp). */
@Controller('api/user')
export class TopUpController {
  constructor(private readonly redemptions: RedemptionsService) {}

  @Post('topup')
  @UserAuth()
  @HttpCode(200)
  async topUp(@CurrentUser() caller: AuthUser, @Body() body: TopUpDto) {
    return ok(await this.redemptions.redeem(caller, body.key));
  }
}
