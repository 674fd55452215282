/**
 * The rules of async tasks as pure functions (New API `relay/mjproxy_handler.go`,
 * `controller/midjourney.go`, `service/task_polling.go`): what a submit reply means for the row
 * and the bill, how a poll moves a task, when it has timed out, when it is refunded, and the DTOs
 * clients read. No Nest, no database.
 */
import { isFreeMjAction, MjAction, MjSubmitReply, MjUpstreamTask, SunoUpstreamTask } from '@your-api/provider-adapters';

export const PROGRESS_DONE = '100%';
/** Midjourney tasks unfinished after an hour are failed (New API's fixed limit). */
export const MJ_TIMEOUT_MS = 60 * 60 * 1000;
export const MJ_TIMEOUT_REASON = '上游任务超时（超过1小时）';
export const MJ_MISSING_ID_REASON = 'the upstream gave this task no id';

/** The columns of a `midjourneys` row the rules read and write. */
export interface MjRow {
  id: number;
  user_id: number;
  action: string;
  mj_id: string;
  prompt: string | null;
  prompt_en: string | null;
  description: string | null;
  state: string | null;
  submit_time: number;
  start_time: number;
  finish_time: number;
  image_url: string | null;
  status: string;
  progress: string;
  fail_reason: string | null;
  channel_id: number;
  quota: number;
  buttons: string | null;
  properties: string | null;
}

export type MjRowFields = Partial<Omit<MjRow, 'id'>> & { code?: number };

export const MJ_SUCCESS_CODES: ReadonlySet<number> = new Set([1, 21, 22]);

export interface MjSubmitOutcome {
  /** The upstream accepted the task (codes 1, 21, 22). */
  accepted: boolean;
  /** Whether the price is charged: accepted and not a free action (INPAINT, CUSTOM_ZOOM). */
  charge: boolean;
  /** The code the client sees: 21 and 22 become 1 (21 stays for INPAINT/CUSTOM_ZOOM). */
  clientCode: number;
  /** The new row's state. */
  row: Pick<MjRowFields, 'code' | 'status' | 'progress' | 'image_url' | 'fail_reason' | 'start_time' | 'finish_time'>;
}

/** What an upstream submit reply (HTTP 200) means (New API `RelayMidjourneySubmit`). */
export function mjSubmitOutcome(reply: MjSubmitReply, action: MjAction, nowMs: number): MjSubmitOutcome {
  const accepted = MJ_SUCCESS_CODES.has(reply.code);
  let clientCode = reply.code;
  const row: MjSubmitOutcome['row'] = { code: reply.code, status: 'SUBMITTED', progress: '0%', image_url: '', fail_reason: '', start_time: 0, finish_time: 0 };
  if (!accepted) {
    // Nothing runs upstream: the row is finished at once (nothing was charged, so nothing to refund).
    return { accepted, charge: false, clientCode, row: { ...row, status: 'FAILURE', progress: PROGRESS_DONE, fail_reason: reply.description || `submit refused (code ${reply.code})` } };
  }
  if (reply.code === 21) {
    const status = reply.properties?.status;
    const imageUrl = reply.properties?.imageUrl;
    if (typeof status === 'string' && typeof imageUrl === 'string') {
      row.image_url = imageUrl;
      row.status = status;
      if (status === 'SUCCESS') {
        row.progress = PROGRESS_DONE;
        row.start_time = nowMs;
        row.finish_time = nowMs;
        clientCode = 1;
      }
    }
    if (!isFreeMjAction(action)) clientCode = 1;
  }
  if (reply.code === 22) clientCode = 1;
  if (reply.code === 1 && action === 'UPLOAD') {
    row.status = 'SUCCESS';
    row.progress = PROGRESS_DONE;
    row.finish_time = nowMs;
  }
  return { accepted, charge: !isFreeMjAction(action), clientCode, row };
}

/** A poll result for one row: the fields to write, and whether the task failed (→ CAS + refund). */
export interface PollTransition<F> {
  fields: F;
  failed: boolean;
}

/**
 * One upstream task applied to its row (New API `UpdateMidjourneyTaskBulk`): a fail reason while
 * not finished, or FAILURE at 100%, is a failure (progress forced to 100%, status FAILURE).
 */
export function mjPollTransition(upstream: MjUpstreamTask): PollTransition<MjRowFields> {
  const fields: MjRowFields = {
    code: 1,
    progress: upstream.progress,
    prompt_en: upstream.promptEn,
    state: upstream.state,
    submit_time: upstream.submitTime,
    start_time: upstream.startTime,
    finish_time: upstream.finishTime,
    image_url: upstream.imageUrl,
    status: upstream.status,
    fail_reason: upstream.failReason,
    properties: upstream.properties === null ? null : JSON.stringify(upstream.properties),
    buttons: upstream.buttons === null ? null : JSON.stringify(upstream.buttons),
  };
  const failed =
    (upstream.progress !== PROGRESS_DONE && upstream.failReason !== '') ||
    upstream.status === 'FAILURE' ||
    upstream.status === 'CANCEL';
  if (failed) {
    fields.progress = PROGRESS_DONE;
    fields.status = 'FAILURE';
    if (!fields.fail_reason) fields.fail_reason = upstream.status === 'CANCEL' ? 'cancelled upstream' : 'failed upstream';
  }
  return { fields, failed };
}

/** Unfinished for longer than `limitMs` since submit. Rows without a submit time never time out. */
export function isTimedOut(submitTime: number, progress: string, now: number, limitMs: number): boolean {
  return progress !== PROGRESS_DONE && submitTime > 0 && now - submitTime > limitMs;
}

/** A failure credits the task's quota back when it charged any. (Exactly once: the caller's CAS decides.) */
export function refundAmount(quota: number): number {
  return quota > 0 ? Math.floor(quota) : 0;
}

/** The `tasks` row columns the rules read and write (times in seconds). */
export interface TaskRow {
  id: number;
  task_id: string;
  platform: string;
  user_id: number;
  channel_id: number;
  quota: number;
  action: string;
  status: string;
  fail_reason: string | null;
  submit_time: number;
  start_time: number;
  finish_time: number;
  progress: string;
  properties: string | null;
  data: string | null;
  /** JSON ([latest] `private_data`); never shown to users. */
  private_data?: string | null;
}

/** What `tasks.private_data` holds here: who paid the task (New API's `billing_source`, `token_id`). */
export interface TaskPrivateData {
  billing_source: 'wallet';
  token_id: number;
}

/** `private_data` for a task paid from the wallet through API key `tokenId`. */
export function taskPrivateData(tokenId: number): string {
  const data: TaskPrivateData = { billing_source: 'wallet', token_id: tokenId };
  return JSON.stringify(data);
}

/** The API key a task was paid through (0 when unknown: rows written before private_data, or by other software). */
export function paidTokenId(privateData: string | null | undefined): number {
  if (!privateData) return 0;
  try {
    const parsed = JSON.parse(privateData) as { token_id?: unknown } | null;
    const id = Number(parsed?.token_id);
    return Number.isInteger(id) && id > 0 ? id : 0;
  } catch {
    return 0;
  }
}

export type TaskRowFields = Partial<Omit<TaskRow, 'id'>> & { updated_at?: number };

/** One Suno upstream task applied to its row: FAILURE (or a fail reason) fails it, SUCCESS finishes it. */
export function sunoPollTransition(upstream: SunoUpstreamTask, nowSeconds: number): PollTransition<TaskRowFields> {
  const fields: TaskRowFields = {
    status: upstream.status,
    fail_reason: upstream.failReason,
    submit_time: upstream.submitTime || undefined,
    start_time: upstream.startTime,
    finish_time: upstream.finishTime,
    data: upstream.data === null ? null : JSON.stringify(upstream.data),
  };
  if (fields.submit_time === undefined) delete fields.submit_time;
  const failed = upstream.status === 'FAILURE' || upstream.failReason !== '';
  if (failed) {
    fields.status = 'FAILURE';
    fields.progress = PROGRESS_DONE;
    if (!fields.fail_reason) fields.fail_reason = 'failed upstream';
    if (!fields.finish_time) fields.finish_time = nowSeconds;
  } else if (upstream.status === 'SUCCESS') {
    fields.progress = PROGRESS_DONE;
    if (!fields.finish_time) fields.finish_time = nowSeconds;
  } else if (upstream.status === 'IN_PROGRESS') {
    fields.progress = '50%';
  }
  return { fields, failed };
}

export interface MjDtoOptions {
  forwardUrl: boolean;
  serverAddress: string;
  nowMs: number;
}

function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The Midjourney-Proxy task DTO of a row (New API `coverMidjourneyTaskDto`). */
export function toMjDto(row: MjRow, options: MjDtoOptions) {
  let imageUrl = row.image_url ?? '';
  if (options.forwardUrl && imageUrl) {
    imageUrl = `${options.serverAddress.replace(/\/+$/, '')}/mj/image/${encodeURIComponent(row.mj_id)}`;
    if (row.status !== 'SUCCESS') imageUrl += `?rand=${options.nowMs}`;
  }
  return {
    id: row.mj_id,
    action: row.action,
    customId: '',
    botType: '',
    prompt: row.prompt ?? '',
    promptEn: row.prompt_en ?? '',
    description: row.description ?? '',
    state: row.state ?? '',
    submitTime: Number(row.submit_time),
    startTime: Number(row.start_time),
    finishTime: Number(row.finish_time),
    imageUrl,
    videoUrl: '',
    videoUrls: [],
    status: row.status,
    progress: row.progress,
    failReason: row.fail_reason ?? '',
    buttons: parseJson(row.buttons) ?? [],
    properties: parseJson(row.properties) ?? {},
  };
}

/** New API's TaskDto of a Suno task. */
export function toSunoDto(row: TaskRow) {
  return {
    task_id: row.task_id,
    action: row.action,
    status: row.status,
    fail_reason: row.fail_reason ?? '',
    submit_time: Number(row.submit_time),
    start_time: Number(row.start_time),
    finish_time: Number(row.finish_time),
    progress: row.progress,
    data: parseJson(row.data),
  };
}
