import { Injectable } from '@nestjs/common';
import {
  buildSunoSubmit,
  readSunoAction,
  readSunoSubmitReply,
  sunoModelName,
  sunoSubmitProblem,
  sunoTaskAction,
} from '@your-api/provider-adapters';
import type { Request, Response } from 'express';
import { UpstreamError } from '@your-api/providers-core';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { ApiError } from '../../common/api-error';
import { RelayAuthService } from '../relay/relay-auth.service';
import { TaskBillingService } from './task-billing.service';
import { taskPrivateData, toSunoDto } from './task-rules';
import { TasksRepository } from './tasks.repository';
import { postJson, TaskUpstream, UPSTREAM_TIMEOUT_MS } from './upstream-http';

export const SUNO_PLATFORM = 'suno';

/** Suno task error: rendered as `{code, message, data:null}` for /suno paths. */
const sunoError = (status: number, reason: string, message = reason) => new ApiError(status, reason, message);

/**
 * Suno relay (New API `relay/relay_task.go` + the suno task adaptor, [latest] billing): the price
 * is held before the submit, charged when the upstream returns a task id and released at once
 * otherwise. Fetches read the local `tasks` table, kept current by the poller.
 */
@Injectable()
export class SunoService {
  constructor(
    private readonly auth: RelayAuthService,
    private readonly billing: TaskBillingService,
    private readonly repository: TasksRepository,
    private readonly rateLimits: RateLimitService,
  ) {}

  async submit(actionParam: string, req: Request, res: Response) {
    const startedAt = Date.now();
    const caller = await this.auth.authenticate(req);
    await this.rateLimits.admitModelRequest(caller, res);
    const action = readSunoAction(actionParam);
    if (!action) throw sunoError(400, 'invalid_action', `Unknown Suno action "${actionParam}": use music or lyrics`);
    const body = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    const problem = sunoSubmitProblem(action, body);
    if (problem) throw sunoError(400, problem);
    const model = sunoModelName(action);
    this.auth.checkModel(caller, model);
    const candidate = await this.billing.pickChannel(caller, model);
    let upstream: TaskUpstream | null;
    try {
      upstream = this.billing.upstreamOf(candidate);
    } catch (error) {
      if (error instanceof UpstreamError) throw sunoError(502, 'channel_proxy_invalid', "The channel's proxy setting is unusable");
      throw error;
    }
    if (!upstream) throw sunoError(503, 'channel:no_available_key', 'Every key of the channel is disabled');
    let charge;
    try {
      charge = await this.billing.reserve(caller, model, false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) throw sunoError(403, 'quota_not_enough', error.message);
      throw error;
    }
    const request = buildSunoSubmit(candidate.channel.base_url ?? '', action, upstream.key, body);
    let taskId: string;
    try {
      const response = await postJson(request.url, request.headers, request.body, UPSTREAM_TIMEOUT_MS, upstream.dispatcher);
      const reply = readSunoSubmitReply(response.json);
      if (response.status !== 200 || 'error' in reply) {
        const reason = 'error' in reply ? reply.error : `status ${response.status}`;
        throw sunoError(response.status >= 400 && response.status < 500 ? 400 : 502, 'fail_to_submit', `The Suno upstream refused the task: ${reason}`);
      }
      taskId = reply.taskId;
    } catch (error) {
      await this.billing.release(charge);
      if (error instanceof ApiError) throw error;
      throw sunoError(502, 'do_request_failed', 'The Suno upstream could not be reached');
    }
    const quota = await this.billing.charge(caller, charge, candidate.id, `action ${sunoTaskAction(action)}, task ${taskId}`, startedAt);
    const now = Math.floor(Date.now() / 1000);
    await this.repository.insertTask({
      created_at: now,
      updated_at: now,
      task_id: taskId,
      platform: SUNO_PLATFORM,
      user_id: caller.user.id,
      channel_id: candidate.id,
      quota,
      action: sunoTaskAction(action),
      status: 'SUBMITTED',
      fail_reason: '',
      submit_time: now,
      start_time: 0,
      finish_time: 0,
      progress: '0%',
      properties: JSON.stringify({ input: typeof body.prompt === 'string' ? body.prompt : '', origin_model_name: model, upstream_model_name: model }),
      data: null,
      private_data: taskPrivateData(caller.token.id),
    });
    return { code: 'success', message: '', data: taskId };
  }

  /** GET /suno/fetch/:id */
  async fetchOne(id: string, req: Request) {
    const caller = await this.auth.authenticate(req);
    const row = await this.repository.findTask(SUNO_PLATFORM, id, caller.user.id);
    if (!row) throw sunoError(404, 'task_not_exist', `Task ${id} does not exist`);
    return { code: 'success', message: '', data: toSunoDto(row) };
  }

  /** POST /suno/fetch {ids, action?} */
  async fetchMany(req: Request) {
    const caller = await this.auth.authenticate(req);
    const body = (req.body ?? {}) as { ids?: unknown; action?: unknown };
    const ids = Array.isArray(body.ids) ? body.ids.filter((id): id is string => typeof id === 'string') : [];
    let rows = await this.repository.listTasksByIds(SUNO_PLATFORM, caller.user.id, ids);
    if (typeof body.action === 'string' && body.action) rows = rows.filter((row) => row.action === body.action);
    return { code: 'success', message: '', data: rows.map(toSunoDto) };
  }
}
