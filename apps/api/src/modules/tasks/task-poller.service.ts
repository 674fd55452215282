import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  buildMjRequest,
  buildSunoFetch,
  isMjAction,
  mjModelName,
  readMjTaskList,
  readSunoTasks,
} from '@your-api/provider-adapters';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { ChannelRecord, ChannelsService } from '../channels/channels.service';
import { SUNO_PLATFORM } from './suno.service';
import { TaskBillingService } from './task-billing.service';
import {
  isTimedOut,
  MJ_MISSING_ID_REASON,
  MJ_TIMEOUT_MS,
  MJ_TIMEOUT_REASON,
  MjRow,
  mjPollTransition,
  sunoPollTransition,
  TaskRow,
} from './task-rules';
import { TasksRepository } from './tasks.repository';
import { postJson, TaskUpstream } from './upstream-http';
import { toCandidate } from '../relay/routing/routing-index.service';

const POLL_TIMEOUT_MS = 30_000;
const QUEUE_NAME = 'task-poll';

/**
 * Polls unfinished Midjourney and Suno tasks every TASK_POLL_INTERVAL_MS (New API: 15 s), grouped
 * per channel, and fails (with an exactly-once refund) those that failed upstream or timed out.
 *
 * With REDIS_CONN_STRING a BullMQ job scheduler fires the poll, and one worker of all the API
 * processes sharing the Redis runs each firing; without Redis an in-process timer does. Either
 * way a poll never overlaps the previous one in the same process, and the refund's guarded
 * status change makes overlapping polls of different processes harmless.
 */
@Injectable()
export class TaskPollerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TaskPollerService.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private queue?: Queue;
  private worker?: Worker;
  private connections: Redis[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly repository: TasksRepository,
    private readonly billing: TaskBillingService,
    private readonly channels: ChannelsService,
  ) {}

  onApplicationBootstrap(): void {
    const env = this.config.env;
    if (!env.UPDATE_TASK) return;
    const interval = env.TASK_POLL_INTERVAL_MS;
    if (env.REDIS_CONN_STRING) {
      this.startQueue(env.REDIS_CONN_STRING, env.REDIS_PASSWORD, env.REDIS_KEY_PREFIX, interval);
      return;
    }
    this.timer = setInterval(() => void this.pollOnce(), interval);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // Bounded: with Redis unreachable, closing must not hold up shutdown.
    const closing = Promise.allSettled([this.worker?.close(true), this.queue?.close()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    for (const connection of this.connections) connection.disconnect();
    await this.running;
  }

  private startQueue(url: string, password: string, prefix: string, every: number): void {
    const connect = (name: string) => {
      const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: `your-api-${name}`, ...(password ? { password } : {}) });
      let down = false;
      // One line per outage, not one per reconnect attempt.
      redis.on('error', (error: unknown) => {
        if (down) return;
        down = true;
        this.logger.warn(`task poll Redis connection lost: ${error instanceof Error ? error.message : String(error)}`);
      });
      redis.on('ready', () => (down = false));
      this.connections.push(redis);
      return redis;
    };
    this.queue = new Queue(QUEUE_NAME, { connection: connect('task-queue'), prefix });
    this.worker = new Worker(QUEUE_NAME, () => this.pollOnce(), { connection: connect('task-worker'), prefix, concurrency: 1 });
    this.worker.on('error', (error) => this.logger.warn(`task poll worker: ${error.message}`));
    // One scheduler for every process: upserting the same id keeps one repeat, not one per process.
    // Not awaited: start-up does not wait for Redis (commands wait for it to come back).
    this.queue
      .upsertJobScheduler('poll', { every }, { name: 'poll', opts: { removeOnComplete: true, removeOnFail: true } })
      .then(() => this.logger.log(`task polling every ${every} ms through BullMQ (shared by the processes on this Redis)`))
      .catch((error: unknown) => this.logger.error(`task polling could not be scheduled in Redis: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** One round over every unfinished task; a round still running is joined, not repeated. */
  pollOnce(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.pollMidjourney();
        await this.pollSuno();
      } catch (error) {
        this.logger.error(`task poll failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pollMidjourney(): Promise<void> {
    const rows = await this.repository.listUnfinishedMj();
    if (rows.length === 0) return;
    const now = Date.now();
    const live: MjRow[] = [];
    for (const row of rows) {
      if (!row.mj_id) await this.failMj(row, { fail_reason: MJ_MISSING_ID_REASON, finish_time: now });
      else if (isTimedOut(Number(row.submit_time), row.progress, now, MJ_TIMEOUT_MS)) await this.failMj(row, { fail_reason: MJ_TIMEOUT_REASON, finish_time: now });
      else live.push(row);
    }
    for (const [channel, group] of await this.byChannel(live)) {
      let tasks;
      try {
        const upstream = this.upstreamOf(channel);
        const request = buildMjRequest(channel.base_url ?? '', '/mj/task/list-by-condition', upstream.key, { ids: group.map((row) => row.mj_id) });
        const response = await postJson(request.url, request.headers, request.body, POLL_TIMEOUT_MS, upstream.dispatcher);
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        tasks = readMjTaskList(response.json);
      } catch (error) {
        this.logger.warn(`Midjourney poll of channel #${channel.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const byId = new Map(tasks.map((task) => [task.id, task]));
      for (const row of group) {
        const task = byId.get(row.mj_id);
        if (!task) continue;
        const transition = mjPollTransition(task);
        if (transition.failed) await this.failMj(row, transition.fields);
        else await this.repository.updateUnfinished('midjourneys', row.id, transition.fields);
      }
    }
  }

  private async pollSuno(): Promise<void> {
    const rows = await this.repository.listUnfinishedTasks(SUNO_PLATFORM);
    if (rows.length === 0) return;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const limitSeconds = this.config.env.TASK_TIMEOUT_MINUTES * 60;
    const live: TaskRow[] = [];
    for (const row of rows) {
      if (isTimedOut(Number(row.submit_time), row.progress, nowSeconds, limitSeconds)) {
        await this.failTask(row, { fail_reason: `任务超时（${this.config.env.TASK_TIMEOUT_MINUTES}分钟）`, finish_time: nowSeconds, updated_at: nowSeconds });
      } else live.push(row);
    }
    for (const [channel, group] of await this.byChannel(live)) {
      let tasks;
      try {
        const upstream = this.upstreamOf(channel);
        const request = buildSunoFetch(channel.base_url ?? '', upstream.key, group.map((row) => row.task_id));
        const response = await postJson(request.url, request.headers, request.body, POLL_TIMEOUT_MS, upstream.dispatcher);
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        tasks = readSunoTasks(response.json);
      } catch (error) {
        this.logger.warn(`Suno poll of channel #${channel.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const byId = new Map(tasks.map((task) => [task.taskId, task]));
      for (const row of group) {
        const task = byId.get(row.task_id);
        if (!task) continue;
        const transition = sunoPollTransition(task, nowSeconds);
        const fields = { ...transition.fields, updated_at: nowSeconds };
        if (transition.failed) await this.failTask(row, fields);
        else await this.repository.updateUnfinished('tasks', row.id, fields);
      }
    }
  }

  private async failMj(row: MjRow, fields: Record<string, unknown>): Promise<void> {
    const model = isMjAction(row.action) ? mjModelName(row.action) : `mj_${row.action.toLowerCase()}`;
    const reason = typeof fields.fail_reason === 'string' ? fields.fail_reason : '';
    await this.billing.failTask('midjourneys', row, fields, {
      modelName: model,
      content: `Midjourney task ${row.mj_id || `#${row.id}`} failed${reason ? ` (${reason})` : ''}; refunded ${row.quota}`,
    });
  }

  private async failTask(row: TaskRow, fields: Record<string, unknown>): Promise<void> {
    const reason = typeof fields.fail_reason === 'string' ? fields.fail_reason : '';
    await this.billing.failTask('tasks', row, fields, {
      modelName: `suno_${row.action.toLowerCase()}`,
      content: `Suno task ${row.task_id} failed${reason ? ` (${reason})` : ''}; refunded ${row.quota}`,
    });
  }

  /** Key and proxy of a poll, picked as for a relay request; throws (the poll of that channel is skipped) when none is usable. */
  private upstreamOf(channel: ChannelRecord): TaskUpstream {
    const upstream = this.billing.upstreamOf(toCandidate(channel));
    if (!upstream) throw new Error('every key of the channel is disabled');
    return upstream;
  }

  /** Rows grouped by their channel (any status: a disabled channel's tasks still finish). */
  private async byChannel<R extends { channel_id: number }>(rows: R[]): Promise<Array<[ChannelRecord, R[]]>> {
    if (rows.length === 0) return [];
    const groups = new Map<number, R[]>();
    for (const row of rows) {
      const id = Number(row.channel_id);
      groups.set(id, [...(groups.get(id) ?? []), row]);
    }
    const channels = await this.channels.findChannels([...groups.keys()]);
    return channels.map((channel) => [channel, groups.get(channel.id) ?? []]);
  }
}
