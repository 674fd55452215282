import { Injectable } from '@nestjs/common';
import type { Page } from '@your-api/contracts';
import { PageRequest, toPage } from '../../common/paging';
import { OptionsService } from '../options/options.service';
import { MjQueryDto, TaskQueryDto } from './dto/task-query.dto';
import { MjRow, TaskRow } from './task-rules';
import { TasksRepository } from './tasks.repository';

/** A `midjourneys` row as the management lists show it (New API's JSON of the model). */
export type MjLogView = Omit<MjRow, 'channel_id'> & { channel_id?: number };
export type TaskLogView = Omit<TaskRow, 'channel_id'> & { channel_id?: number };

/** The task log routes (/api/mj, /api/task): admins see every task and its channel, users their own. */
@Injectable()
export class TaskLogsService {
  constructor(
    private readonly repository: TasksRepository,
    private readonly options: OptionsService,
  ) {}

  async listMj(query: MjQueryDto, page: PageRequest, userId: number | null): Promise<Page<MjLogView>> {
    const [rows, total] = await this.repository.pageMj(
      {
        userId: userId ?? undefined,
        channelId: userId === null ? query.channel_id || undefined : undefined,
        taskId: query.mj_id || undefined,
        startTimestamp: query.start_timestamp || undefined,
        endTimestamp: query.end_timestamp || undefined,
      },
      page,
    );
    const forward = this.options.getBool('MjForwardUrlEnabled');
    const server = this.options.get('ServerAddress').replace(/\/+$/, '');
    return toPage(
      page,
      rows.map((row) => {
        const view: MjLogView = { ...row, image_url: forward && row.image_url ? `${server}/mj/image/${encodeURIComponent(row.mj_id)}` : row.image_url };
        if (userId !== null) delete view.channel_id;
        return view;
      }),
      total,
    );
  }

  async listTasks(query: TaskQueryDto, page: PageRequest, userId: number | null): Promise<Page<TaskLogView>> {
    const [rows, total] = await this.repository.pageTasks(
      {
        userId: userId ?? undefined,
        channelId: userId === null ? query.channel_id || undefined : undefined,
        taskId: query.task_id || undefined,
        platform: query.platform || undefined,
        status: query.status || undefined,
        action: query.action || undefined,
        startTimestamp: query.start_timestamp || undefined,
        endTimestamp: query.end_timestamp || undefined,
      },
      page,
    );
    return toPage(
      page,
      rows.map((row) => {
        const view: TaskLogView = { ...row };
        // New API never serializes private_data (json:"-"), not even for admins.
        delete view.private_data;
        if (userId !== null) delete view.channel_id;
        return view;
      }),
      total,
    );
  }
}
