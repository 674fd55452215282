/** Parses New API's status-code range lists such as `401,429,500-503`. Throws on bad syntax. */
export function parseStatusCodeRanges(spec: string): (status: number) => boolean {
  const ranges: [number, number][] = [];
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const match = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
    if (!match) throw new Error(`"${part}" is not a status code or range`);
    const low = Number(match[1]);
    const high = match[2] ? Number(match[2]) : low;
    if (high < low) throw new Error(`"${part}" is an empty range`);
    ranges.push([low, high]);
  }
  return (status) => ranges.some(([low, high]) => status >= low && status <= high);
}
