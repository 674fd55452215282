import { Controller, Get } from '@nestjs/common';
import { AdminAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { GroupsService } from './groups.service';

@Controller('api/group')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @AdminAuth()
  list() {
    return ok(this.groups.names());
  }
}
