import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AdminAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { DATABASE_KIND } from '../../database/database.module';
import { OptionsService } from '../options/options.service';
import { UsersService } from '../users/users.service';
import { SetupDto } from './dto/setup.dto';
import { SystemService } from './system.service';

@Controller('api')
export class SystemController {
  constructor(
    private readonly system: SystemService,
    private readonly options: OptionsService,
    private readonly users: UsersService,
    @Inject(DATABASE_KIND) private readonly databaseKind: string,
  ) {}

  @Get('status')
  async status() {
    return ok(await this.system.status(this.databaseKind));
  }

  @Get('status/test')
  @AdminAuth()
  async selfTest() {
    return ok(await this.system.selfTest(), 'All systems operational');
  }

  @Get('setup')
  async setupState() {
    const setUp = await this.system.isSetUp();
    return ok({ status: setUp, root_init: await this.users.rootExists(), database_type: this.databaseKind });
  }

  @Post('setup')
  @HttpCode(200)
  async setup(@Body() body: SetupDto) {
    if (await this.system.isSetUp()) throw ApiError.badRequest('setup/already-done', 'The system is already set up');
    if (body.password !== body.confirmPassword) throw ApiError.badRequest('setup/password-mismatch', 'The two passwords differ');
    await this.users.createRoot(body.username, body.password);
    if (body.SelfUseModeEnabled !== undefined) await this.options.update('SelfUseModeEnabled', String(body.SelfUseModeEnabled));
    if (body.DemoSiteEnabled !== undefined) await this.options.update('DemoSiteEnabled', String(body.DemoSiteEnabled));
    return ok(undefined, 'Setup complete');
  }

  @Get('notice')
  notice() {
    return ok(this.options.get('Notice'));
  }

  @Get('about')
  about() {
    return ok(this.options.get('About'));
  }

  @Get('home_page_content')
  homePageContent() {
    return ok(this.options.get('HomePageContent'));
  }
}
