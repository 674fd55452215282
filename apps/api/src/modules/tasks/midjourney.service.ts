import { Injectable } from '@nestjs/common';
import {
  buildMjRequest,
  isFreeMjAction,
  isMjAction,
  MJ_SUBMIT_ROUTES,
  MjAction,
  mjModelName,
  MjSubmitRoute,
  parseSimpleChange,
  plusCustomIdToAction,
  prepareMjBody,
  readMjSubmitReply,
} from '@your-api/provider-adapters';
import { ChannelStatus } from '@your-api/contracts';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { ChannelsService } from '../channels/channels.service';
import { OptionsService } from '../options/options.service';
import { RelayAuthService } from '../relay/relay-auth.service';
import { TaskBillingService } from './task-billing.service';
import { MjRow, mjSubmitOutcome, toMjDto } from './task-rules';
import { TasksRepository } from './tasks.repository';
import { getBytes, postJson, TaskUpstream, UPSTREAM_TIMEOUT_MS } from './upstream-http';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { parseChannelSetting } from '../relay/routing/channel-settings';
import { UpstreamDispatchers } from '../relay/upstream/upstream-dispatchers';
import { UpstreamError } from '@your-api/providers-core';

/** MJ error: `{code:4, description}` rendered by the error filter for /mj paths. */
const mjError = (status: number, reason: string) => new ApiError(status, `midjourney/${reason}`, reason);

/** What a submit request asks for once its route and body are read. */
interface MjPlan {
  action: MjAction;
  /** Upstream path (the client's, with simple-change sent as change). */
  path: string;
  body: Record<string, unknown>;
  /** The task a follow-up acts on. */
  originTaskId: string | null;
  prompt: string;
  /** Charged? INPAINT/CUSTOM_ZOOM via /submit/action are free. */
  free: boolean;
}

/**
 * Midjourney-Proxy relay (New API `relay/mjproxy_handler.go`): submits go to a channel serving
 * `mj_<action>` (follow-ups to the original task's channel), are charged on codes 1/21/22, and
 * stored in `midjourneys`; fetches read the local table, kept current by the poller.
 */
@Injectable()
export class MidjourneyService {
  constructor(
    private readonly auth: RelayAuthService,
    private readonly billing: TaskBillingService,
    private readonly repository: TasksRepository,
    private readonly options: OptionsService,
    private readonly channels: ChannelsService,
    private readonly rateLimits: RateLimitService,
    private readonly dispatchers: UpstreamDispatchers,
  ) {}

  async submit(route: MjSubmitRoute, req: Request, res: Response): Promise<void> {
    const startedAt = Date.now();
    const caller = await this.auth.authenticate(req);
    await this.rateLimits.admitModelRequest(caller, res);
    const body = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    const plan = this.plan(route, req.path, body);
    let origin: MjRow | null = null;
    if (plan.originTaskId !== null) {
      origin = await this.repository.findMjByMjId(plan.originTaskId, caller.user.id);
      if (!origin) throw mjError(404, 'task_not_found');
      if (this.options.getBool('MjActionCheckSuccessEnabled') && route !== 'submit/modal' && origin.status !== 'SUCCESS') {
        throw mjError(400, 'task_status_not_success');
      }
      plan.prompt = origin.prompt ?? '';
    }
    const model = mjModelName(plan.action);
    this.auth.checkModel(caller, model);
    const candidate = origin ? await this.billing.sameChannel(Number(origin.channel_id)) : await this.billing.pickChannel(caller, model);
    let upstream: TaskUpstream | null;
    try {
      upstream = this.billing.upstreamOf(candidate);
    } catch (error) {
      if (error instanceof UpstreamError) throw mjError(502, 'channel_proxy_invalid');
      throw error;
    }
    if (!upstream) throw mjError(503, 'channel:no_available_key');
    let charge;
    try {
      charge = await this.billing.reserve(caller, model, plan.free);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) throw mjError(403, 'quota_not_enough');
      throw error;
    }
    const upstreamBody = prepareMjBody(plan.body, {
      keepNotifyHook: this.options.getBool('MjNotifyEnabled'),
      keepAccountFilter: this.options.getBool('MjAccountFilterEnabled'),
      clearMode: this.options.getBool('MjModeClearEnabled'),
    });
    const request = buildMjRequest(candidate.channel.base_url ?? '', plan.path, upstream.key, upstreamBody);
    let reply;
    let json: unknown;
    try {
      const response = await postJson(request.url, request.headers, request.body, UPSTREAM_TIMEOUT_MS, upstream.dispatcher);
      if (response.status !== 200) throw mjError(502, `fail_to_fetch_midjourney status_code: ${response.status}`);
      json = response.json;
      reply = readMjSubmitReply(json);
      if (!reply) throw mjError(502, 'unmarshal_response_body_failed');
    } catch (error) {
      await this.billing.release(charge);
      if (error instanceof ApiError) throw error;
      throw mjError(502, 'do_request_failed');
    }
    if (reply.code === 3 && this.options.getBool('AutomaticDisableChannelEnabled') && Number(candidate.channel.auto_ban) === 1) {
      // "No available account instance": New API takes the channel out of rotation.
      await this.channels.setStatus(candidate.id, ChannelStatus.AutoDisabled, 'No available account instance').catch(() => undefined);
    }
    const now = Date.now();
    const outcome = mjSubmitOutcome(reply, plan.action, now);
    let quota = 0;
    if (outcome.accepted && outcome.charge && charge.quota > 0) {
      quota = await this.billing.charge(caller, charge, candidate.id, `action ${plan.action}, task ${reply.result}`, startedAt);
    } else {
      await this.billing.release(charge);
    }
    await this.repository.insertMj({
      ...outcome.row,
      user_id: caller.user.id,
      action: plan.action,
      mj_id: reply.result,
      prompt: plan.prompt,
      prompt_en: '',
      description: reply.description,
      state: typeof plan.body.state === 'string' ? plan.body.state : '',
      submit_time: now,
      channel_id: candidate.id,
      quota,
      buttons: null,
      properties: reply.properties ? JSON.stringify(reply.properties) : null,
    });
    res.status(200).json({ ...(json as Record<string, unknown>), code: outcome.clientCode });
  }

  /** GET /mj/task/:id/fetch */
  async fetch(id: string, req: Request) {
    const caller = await this.auth.authenticate(req);
    const row = await this.repository.findMjByMjId(id, caller.user.id);
    if (!row) throw mjError(404, 'task_no_found');
    return this.toDto(row);
  }

  /** POST /mj/task/list-by-condition {ids} */
  async listByCondition(req: Request) {
    const caller = await this.auth.authenticate(req);
    const ids = (req.body as { ids?: unknown } | undefined)?.ids;
    if (!Array.isArray(ids)) return [];
    const rows = await this.repository.listMjByMjIds(caller.user.id, ids.filter((id): id is string => typeof id === 'string'));
    return rows.map((row) => this.toDto(row));
  }

  /** GET /mj/image/:id: fetches the stored image of a task through its channel's proxy. */
  async image(id: string): Promise<{ contentType: string; body: Buffer }> {
    const row = await this.repository.findMjByMjId(id);
    if (!row || !row.image_url) throw mjError(404, 'image_not_found');
    const [channel] = await this.channels.findChannels([Number(row.channel_id)]);
    let reply;
    try {
      const dispatcher = this.dispatchers.forProxy(channel ? parseChannelSetting(channel.setting).proxy : '');
      reply = await getBytes(row.image_url, UPSTREAM_TIMEOUT_MS, dispatcher);
    } catch {
      throw mjError(502, 'image_fetch_failed');
    }
    if (reply.status < 200 || reply.status >= 300) throw mjError(502, `image_fetch_failed status_code: ${reply.status}`);
    return { contentType: reply.contentType ?? 'image/png', body: reply.body };
  }

  toDto(row: MjRow) {
    return toMjDto(row, {
      forwardUrl: this.options.getBool('MjForwardUrlEnabled'),
      serverAddress: this.options.get('ServerAddress'),
      nowMs: Date.now(),
    });
  }

  private plan(route: MjSubmitRoute, path: string, body: Record<string, unknown>): MjPlan {
    const fixed = MJ_SUBMIT_ROUTES[route];
    const prompt = typeof body.prompt === 'string' ? body.prompt : '';
    const taskId = typeof body.taskId === 'string' && body.taskId ? body.taskId : null;
    switch (route) {
      case 'submit/simple-change': {
        const change = parseSimpleChange(body.content);
        if (!change) throw mjError(400, 'content_parse_failed');
        const forwarded: Record<string, unknown> = { taskId: change.taskId, action: change.action };
        if (change.index !== undefined) forwarded.index = change.index;
        for (const key of ['state', 'notifyHook'] as const) if (body[key] !== undefined) forwarded[key] = body[key];
        return { action: change.action, path: path.replace('/mj/submit/simple-change', '/mj/submit/change'), body: forwarded, originTaskId: change.taskId, prompt, free: false };
      }
      case 'submit/change': {
        const action = body.action;
        if (!taskId) throw mjError(400, 'task_id_is_required');
        if (!isMjAction(action) || !['UPSCALE', 'VARIATION', 'REROLL'].includes(action)) throw mjError(400, 'action_is_invalid');
        if (action !== 'REROLL') {
          const index = Number(body.index);
          if (!Number.isInteger(index) || index < 1 || index > 4) throw mjError(400, 'index_can_only_be_1_2_3_4');
        }
        return { action, path, body, originTaskId: taskId, prompt, free: false };
      }
      case 'submit/action': {
        if (!taskId) throw mjError(400, 'task_id_is_required');
        const converted = plusCustomIdToAction(body.customId);
        if ('error' in converted) throw mjError(400, converted.error);
        return { action: converted.action, path, body, originTaskId: taskId, prompt, free: isFreeMjAction(converted.action) };
      }
      case 'submit/modal':
        if (!taskId) throw mjError(400, 'task_id_is_required');
        return { action: 'MODAL', path, body, originTaskId: taskId, prompt, free: false };
      default: {
        const action = fixed as MjAction;
        if (action === 'IMAGINE' && !prompt) throw mjError(400, 'prompt_is_required');
        // VIDEO and EDITS may act on an earlier task.
        const originTaskId = (action === 'VIDEO' || action === 'EDITS') && taskId ? taskId : null;
        return { action, path, body, originTaskId, prompt, free: false };
      }
    }
  }
}
