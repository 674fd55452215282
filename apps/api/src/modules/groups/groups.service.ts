import { Injectable } from '@nestjs/common';
import { OptionsService } from '../options/options.service';

/** User groups: their names are the keys of the GroupRatio option. */
@Injectable()
export class GroupsService {
  constructor(private readonly options: OptionsService) {}

  names(): string[] {
    const ratios = this.options.getJson<Record<string, number> | null>('GroupRatio');
    return ratios && typeof ratios === 'object' && !Array.isArray(ratios) ? Object.keys(ratios) : [];
  }
}
