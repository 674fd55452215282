/**
 * Midjourney-Proxy (novicezk / plus-compatible) wire format as New API relays it: action names and
 * their billing models, MJ-Plus custom ids, `simple-change` commands, the upstream request, the
 * submit reply and the task objects of `list-by-condition`. Pure: no I/O.
 */

export const MJ_ACTIONS = [
  'IMAGINE',
  'DESCRIBE',
  'BLEND',
  'UPSCALE',
  'VARIATION',
  'REROLL',
  'INPAINT',
  'MODAL',
  'ZOOM',
  'CUSTOM_ZOOM',
  'SHORTEN',
  'HIGH_VARIATION',
  'LOW_VARIATION',
  'PAN',
  'SWAP_FACE',
  'UPLOAD',
  'VIDEO',
  'EDITS',
] as const;

export type MjAction = (typeof MJ_ACTIONS)[number];

export function isMjAction(value: unknown): value is MjAction {
  return typeof value === 'string' && (MJ_ACTIONS as readonly string[]).includes(value);
}

/** The billing/routing model of an action: `mj_<lower action>`, except SWAP_FACE → `swap_face`. */
export function mjModelName(action: MjAction): string {
  return action === 'SWAP_FACE' ? 'swap_face' : `mj_${action.toLowerCase()}`;
}

/** INPAINT and CUSTOM_ZOOM open a modal and are not charged; the modal submit is. */
export function isFreeMjAction(action: MjAction): boolean {
  return action === 'INPAINT' || action === 'CUSTOM_ZOOM';
}

/** Submit routes (path after `/mj/`) and the action each starts; follow-ups read theirs from the body. */
export const MJ_SUBMIT_ROUTES = {
  'submit/imagine': 'IMAGINE',
  'submit/describe': 'DESCRIBE',
  'submit/blend': 'BLEND',
  'submit/shorten': 'SHORTEN',
  'submit/upload-discord-images': 'UPLOAD',
  'submit/video': 'VIDEO',
  'submit/edits': 'EDITS',
  'insight-face/swap': 'SWAP_FACE',
  'submit/change': null,
  'submit/simple-change': null,
  'submit/action': null,
  'submit/modal': 'MODAL',
} as const satisfies Record<string, MjAction | null>;

export type MjSubmitRoute = keyof typeof MJ_SUBMIT_ROUTES;

export function isMjSubmitRoute(value: string): value is MjSubmitRoute {
  return Object.prototype.hasOwnProperty.call(MJ_SUBMIT_ROUTES, value);
}

export interface MjChange {
  taskId: string;
  action: MjAction;
  index?: number;
}

/**
 * `simple-change` content `"<taskId> U1"` (U1–U4, V1–V4, R) → a change request; null when the
 * content is not of that form (New API `ConvertSimpleChangeParams`).
 */
export function parseSimpleChange(content: unknown): MjChange | null {
  if (typeof content !== 'string') return null;
  const parts = content.trim().split(' ');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  const command = parts[1].toLowerCase();
  if (command === 'r') return { taskId: parts[0], action: 'REROLL' };
  const action: MjAction | null = command[0] === 'u' ? 'UPSCALE' : command[0] === 'v' ? 'VARIATION' : null;
  if (!action || !/^[uv][1-4]$/.test(command)) return null;
  return { taskId: parts[0], action, index: Number(command[1]) };
}

/**
 * MJ-Plus `customId` (e.g. `MJ::JOB::upsample::1::<hash>`) → a normal action and index
 * (New API `CoverPlusActionToNormalAction`). Returns an error reason instead when it is unknown.
 */
export function plusCustomIdToAction(customId: unknown): { action: MjAction; index: number } | { error: string } {
  if (typeof customId !== 'string' || !customId) return { error: 'custom_id_is_required' };
  const splits = customId.split('::');
  const action = (splits[1] === 'JOB' ? splits[2] : splits[1]) ?? '';
  if (!action) return { error: 'unknown_action' };
  const indexAt3 = (): number | null => {
    const index = Number(splits[3]);
    return Number.isInteger(index) && (splits[3] ?? '') !== '' ? index : null;
  };
  if (action.includes('upsample')) {
    const index = indexAt3();
    return index === null ? { error: 'index_parse_failed' } : { action: 'UPSCALE', index };
  }
  if (action.includes('variation')) {
    if (action === 'variation') {
      const index = indexAt3();
      return index === null ? { error: 'index_parse_failed' } : { action: 'VARIATION', index };
    }
    if (action === 'low_variation') return { action: 'LOW_VARIATION', index: 1 };
    if (action === 'high_variation') return { action: 'HIGH_VARIATION', index: 1 };
    return { error: `unknown_action:${customId}` };
  }
  if (action.includes('pan')) return { action: 'PAN', index: 1 };
  if (action.includes('reroll')) return { action: 'REROLL', index: 1 };
  if (action === 'Outpaint') return { action: 'ZOOM', index: 1 };
  if (action === 'CustomZoom') return { action: 'CUSTOM_ZOOM', index: 1 };
  if (action === 'Inpaint') return { action: 'INPAINT', index: 1 };
  return { error: `unknown_action:${customId}` };
}

/** `--fast`, `--relax` and `--turbo` removed from a prompt (MjModeClearEnabled). */
export function clearModeFlags(prompt: string): string {
  return prompt.replace(/\s*--(fast|relax|turbo)\b/g, '').trim();
}

export interface MjBodyOptions {
  keepNotifyHook: boolean;
  keepAccountFilter: boolean;
  clearMode: boolean;
}

/** The client's body as forwarded: notifyHook/accountFilter dropped unless allowed, mode flags cleared on request. */
export function prepareMjBody(body: Record<string, unknown>, options: MjBodyOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if (!options.keepNotifyHook) delete out.notifyHook;
  if (!options.keepAccountFilter) delete out.accountFilter;
  if (options.clearMode && typeof out.prompt === 'string') out.prompt = clearModeFlags(out.prompt);
  return out;
}

export interface MjUpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** `{base}{path}` with `mj-api-secret`; `path` keeps a `/:mode` prefix as the client sent it. */
export function buildMjRequest(baseUrl: string, path: string, key: string, body: unknown): MjUpstreamRequest {
  return {
    url: `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`,
    headers: { 'content-type': 'application/json', accept: 'application/json', 'mj-api-secret': key },
    body: JSON.stringify(body),
  };
}

/** The submit reply `{code, description, result, properties}`. */
export interface MjSubmitReply {
  code: number;
  description: string;
  result: string;
  properties: Record<string, unknown> | null;
}

export function readMjSubmitReply(json: unknown): MjSubmitReply | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const value = json as Record<string, unknown>;
  const code = Number(value.code);
  if (!Number.isFinite(code)) return null;
  const properties = typeof value.properties === 'object' && value.properties !== null && !Array.isArray(value.properties) ? (value.properties as Record<string, unknown>) : null;
  return {
    code,
    description: typeof value.description === 'string' ? value.description : '',
    result: value.result === undefined || value.result === null ? '' : String(value.result),
    properties,
  };
}

/** One task of `list-by-condition` (or a fetch), normalised. Times are epoch ms. */
export interface MjUpstreamTask {
  id: string;
  action: string;
  status: string;
  prompt: string;
  promptEn: string;
  description: string;
  state: string;
  submitTime: number;
  startTime: number;
  finishTime: number;
  imageUrl: string;
  videoUrl: string;
  progress: string;
  failReason: string;
  buttons: unknown;
  properties: unknown;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const num = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
};

export function readMjTask(json: unknown): MjUpstreamTask | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const t = json as Record<string, unknown>;
  const id = str(t.id);
  if (!id) return null;
  return {
    id,
    action: str(t.action),
    status: str(t.status),
    prompt: str(t.prompt),
    promptEn: str(t.promptEn),
    description: str(t.description),
    state: str(t.state),
    submitTime: num(t.submitTime),
    startTime: num(t.startTime),
    finishTime: num(t.finishTime),
    imageUrl: str(t.imageUrl),
    videoUrl: str(t.videoUrl),
    progress: str(t.progress),
    failReason: str(t.failReason),
    buttons: t.buttons ?? null,
    properties: t.properties ?? null,
  };
}

/** The `list-by-condition` reply: a task array (malformed entries are dropped). */
export function readMjTaskList(json: unknown): MjUpstreamTask[] {
  if (!Array.isArray(json)) return [];
  return json.map(readMjTask).filter((task): task is MjUpstreamTask => task !== null);
}
