/**
 * Suno-API wire format as New API relays it (channel type 36): submit of `music`/`lyrics`, the
 * `{code, message, data}` envelope and the task objects of `POST /suno/fetch`. Pure: no I/O.
 */

export type SunoAction = 'music' | 'lyrics';

export function readSunoAction(value: string): SunoAction | null {
  const action = value.toLowerCase();
  return action === 'music' || action === 'lyrics' ? action : null;
}

/** Billing/routing model of an action: `suno_music`, `suno_lyrics`. */
export function sunoModelName(action: SunoAction): string {
  return `suno_${action}`;
}

/** The task's action column: MUSIC or LYRICS. */
export function sunoTaskAction(action: SunoAction): 'MUSIC' | 'LYRICS' {
  return action === 'music' ? 'MUSIC' : 'LYRICS';
}

/** Why a submit body is refused before it is sent (New API's checks), or null. */
export function sunoSubmitProblem(action: SunoAction, body: Record<string, unknown>): string | null {
  if (action === 'lyrics' && (typeof body.prompt !== 'string' || body.prompt.trim() === '')) return 'prompt_empty';
  if (action === 'music' && body.continue_clip_id && !body.task_id) return 'task_id_empty';
  return null;
}

export interface SunoUpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const base = (baseUrl: string) => baseUrl.replace(/\/+$/, '');
const headersOf = (key: string) => ({ 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` });

/** `POST {base}/suno/submit/{ACTION}`; music defaults `mv` to chirp-v3-0. */
export function buildSunoSubmit(baseUrl: string, action: SunoAction, key: string, body: Record<string, unknown>): SunoUpstreamRequest {
  const out: Record<string, unknown> = { ...body };
  if (action === 'music' && !out.mv) out.mv = 'chirp-v3-0';
  return { url: `${base(baseUrl)}/suno/submit/${sunoTaskAction(action)}`, headers: headersOf(key), body: JSON.stringify(out) };
}

/** `POST {base}/suno/fetch {ids}` (the poller). */
export function buildSunoFetch(baseUrl: string, key: string, ids: readonly string[]): SunoUpstreamRequest {
  return { url: `${base(baseUrl)}/suno/fetch`, headers: headersOf(key), body: JSON.stringify({ ids }) };
}

/** The submit reply: the new task id, or why it failed. */
export function readSunoSubmitReply(json: unknown): { taskId: string } | { error: string } {
  if (typeof json !== 'object' || json === null) return { error: 'the upstream answered with a body that is not a Suno reply' };
  const value = json as Record<string, unknown>;
  if (value.code !== 'success') return { error: typeof value.message === 'string' && value.message ? value.message : String(value.code ?? 'submit failed') };
  if (typeof value.data !== 'string' || !value.data) return { error: 'the upstream answered without a task id' };
  return { taskId: value.data };
}

export const SUNO_STATUSES = ['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'FAILURE', 'SUCCESS', 'UNKNOWN'] as const;
export type SunoStatus = (typeof SUNO_STATUSES)[number];

/** One upstream task, normalised. Times are epoch seconds; `data` is the raw clips/lyrics. */
export interface SunoUpstreamTask {
  taskId: string;
  action: string;
  status: SunoStatus;
  failReason: string;
  submitTime: number;
  startTime: number;
  finishTime: number;
  data: unknown;
}

const num = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
};

function readStatus(value: unknown): SunoStatus {
  return typeof value === 'string' && (SUNO_STATUSES as readonly string[]).includes(value) ? (value as SunoStatus) : 'UNKNOWN';
}

/** The fetch reply `{code:"success", data:[Task]}` → tasks; [] when it is not a success. */
export function readSunoTasks(json: unknown): SunoUpstreamTask[] {
  if (typeof json !== 'object' || json === null) return [];
  const value = json as Record<string, unknown>;
  if (value.code !== 'success' || !Array.isArray(value.data)) return [];
  const tasks: SunoUpstreamTask[] = [];
  for (const item of value.data as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const t = item as Record<string, unknown>;
    if (typeof t.task_id !== 'string' || !t.task_id) continue;
    tasks.push({
      taskId: t.task_id,
      action: typeof t.action === 'string' ? t.action : '',
      status: readStatus(t.status),
      failReason: typeof t.fail_reason === 'string' ? t.fail_reason : '',
      submitTime: num(t.submit_time),
      startTime: num(t.start_time),
      finishTime: num(t.finish_time),
      data: t.data ?? null,
    });
  }
  return tasks;
}
