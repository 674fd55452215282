/** The parts of `channels.setting` the relay reads (New API ChannelSettings). */
export interface ChannelSetting {
  proxy?: string;
  force_format?: boolean;
  thinking_to_content?: boolean;
  pass_through_body_enabled?: boolean;
  system_prompt?: string;
  system_prompt_override?: boolean;
}

function parseObject(raw: string | null | undefined): Record<string, unknown> | null {
  if (!raw || !raw.trim()) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function parseChannelSetting(raw: string | null | undefined): ChannelSetting {
  const value = parseObject(raw);
  if (!value) return {};
  return {
    proxy: typeof value.proxy === 'string' ? value.proxy : undefined,
    force_format: value.force_format === true,
    thinking_to_content: value.thinking_to_content === true,
    pass_through_body_enabled: value.pass_through_body_enabled === true,
    system_prompt: typeof value.system_prompt === 'string' ? value.system_prompt : undefined,
    system_prompt_override: value.system_prompt_override === true,
  };
}

/** `{"429":"500"}`: rewrites the status of upstream error responses (never of 200s). */
export function parseStatusCodeMapping(raw: string | null | undefined): Record<string, string> | null {
  const value = parseObject(raw);
  if (!value) return null;
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string' || typeof entry[1] === 'number').map(([k, v]) => [k, String(v)] as [string, string]);
  return entries.length ? Object.fromEntries(entries) : null;
}

export function mapStatusCode(mapping: Record<string, string> | null, status: number): number {
  if (!mapping || status === 200) return status;
  const mapped = Number(mapping[String(status)]);
  return Number.isInteger(mapped) && mapped >= 100 && mapped <= 599 ? mapped : status;
}
