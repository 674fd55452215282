/** A relay key as the client sent it: `sk-<key>` or `sk-<key>-<channelId>` (admin pin). */
export interface ParsedApiKey {
  key: string;
  pinnedChannelId: number | null;
}

export function parseApiKey(raw: string): ParsedApiKey {
  let value = raw.trim();
  if (/^bearer\s+/i.test(value)) value = value.replace(/^bearer\s+/i, '');
  if (value.startsWith('sk-')) value = value.slice(3);
  const parts = value.split('-');
  if (parts.length >= 2) {
    const last = parts[parts.length - 1];
    if (/^\d+$/.test(last)) return { key: parts.slice(0, -1).join('-'), pinnedChannelId: Number(last) };
  }
  return { key: value, pinnedChannelId: null };
}
