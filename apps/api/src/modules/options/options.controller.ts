import { Body, Controller, Get, Put } from '@nestjs/common';
import { ok } from '../../common/envelope';
import { RootAuth } from '../../common/auth';
import { UpdateOptionDto } from './dto/update-option.dto';
import { OptionsService } from './options.service';

@Controller('api/option')
@RootAuth()
export class OptionsController {
  constructor(private readonly options: OptionsService) {}

  @Get()
  list() {
    return ok(this.options.listVisible());
  }

  /** Our addition: which secret options hold a value (`[{key, set}]`), never the values. */
  @Get('secrets')
  secrets() {
    return ok(this.options.listSecretStatus());
  }

  @Put()
  async update(@Body() body: UpdateOptionDto) {
    await this.options.update(body.key, body.value);
    return ok();
  }
}
