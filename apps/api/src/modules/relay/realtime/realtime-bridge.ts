import { WebSocket, type RawData } from 'ws';

/** Seconds between keep-alive pings; a side that missed the previous pong is dropped. */
const KEEP_ALIVE_MS = 30_000;
/** How long a response still running when the client leaves may take to report its usage. */
const CANCEL_GRACE_MS = 5_000;

export interface RealtimeBridgeHooks {
  /** Every text frame from the upstream, after it was forwarded (billing reads response.done here). */
  onUpstreamText(frame: Buffer): void;
  /** Both sides are closed; called once. */
  onEnd(): void;
}

/**
 * Joins a client WebSocket and its upstream: frames go both ways unchanged (text stays text,
 * binary stays binary), a close on one side closes the other with the same code and reason, an
 * error on either closes both, and both are pinged so a dead peer is noticed.
 *
 * A response the upstream is still generating when the client leaves is cancelled and given a
 * few seconds to send its `response.done`, so the tokens it used are still billed.
 */
export class RealtimeBridge {
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly keepAlive: NodeJS.Timeout;
  /** Responses begun (response.created) and not yet done. */
  private running = 0;
  private graceTimer: NodeJS.Timeout | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly client: WebSocket,
    private readonly upstream: WebSocket,
    private readonly hooks: RealtimeBridgeHooks,
    /** Upstream frames received before the client side existed; forwarded first. */
    earlyFrames: ReadonlyArray<{ data: Buffer; isBinary: boolean }> = [],
  ) {
    for (const side of [client, upstream]) {
      this.alive.set(side, true);
      side.on('pong', () => this.alive.set(side, true));
    }
    client.on('message', (data, isBinary) => this.forward(upstream, data, isBinary));
    upstream.on('message', (data, isBinary) => this.fromUpstream(data, isBinary));
    client.on('close', (code, reason) => this.clientClosed(code, reason));
    upstream.on('close', (code, reason) => this.upstreamClosed(code, reason));
    client.on('error', () => this.closeBoth(1011, 'client connection error'));
    upstream.on('error', () => this.closeBoth(1011, 'upstream connection error'));
    this.keepAlive = setInterval(() => this.ping(), KEEP_ALIVE_MS);
    this.keepAlive.unref();
    for (const frame of earlyFrames) this.fromUpstream(frame.data, frame.isBinary);
    // The upstream may have closed while the client's handshake was being answered.
    if (upstream.readyState === WebSocket.CLOSED) this.upstreamClosed(1011, Buffer.from('upstream closed'));
  }

  /** Sends the client one event (e.g. an error) and closes both sides. */
  failClient(event: Record<string, unknown>, code: number, reason: string): void {
    if (this.client.readyState === WebSocket.OPEN) this.client.send(JSON.stringify(event));
    this.closeBoth(code, reason);
  }

  /**
   * Closes both sides now (shutdown), without waiting for a running response; a peer that has
   * not answered the close within `killAfterMs` is cut off.
   */
  shutdown(code: number, reason: string, killAfterMs: number): void {
    this.running = 0;
    this.closeBoth(code, reason);
    this.killTimer ??= setTimeout(() => {
      this.client.terminate();
      this.upstream.terminate();
    }, killAfterMs);
  }

  private fromUpstream(data: RawData, isBinary: boolean): void {
    this.forward(this.client, data, isBinary);
    if (isBinary) return;
    const frame = asBuffer(data);
    this.hooks.onUpstreamText(frame);
    this.trackResponses(frame);
  }

  private forward(to: WebSocket, data: RawData, isBinary: boolean): void {
    if (to.readyState === WebSocket.OPEN) to.send(asBuffer(data), { binary: isBinary });
  }

  /** Counts running responses from their lifecycle events (cheap: no JSON parsing). */
  private trackResponses(frame: Buffer): void {
    if (frame.indexOf('"response.created"') >= 0) this.running++;
    else if (frame.indexOf('"response.done"') >= 0) {
      this.running = Math.max(0, this.running - 1);
      if (this.running === 0 && this.graceTimer) this.closeUpstream(1000, '');
    }
  }

  private clientClosed(code: number, reason: Buffer): void {
    if (this.running > 0 && this.upstream.readyState === WebSocket.OPEN) {
      // Ask the upstream to stop and wait a little for the response.done that carries the usage.
      this.upstream.send(JSON.stringify({ type: 'response.cancel' }));
      this.graceTimer = setTimeout(() => this.closeUpstream(forwardableCode(code), reason.toString()), CANCEL_GRACE_MS);
      this.graceTimer.unref();
      return;
    }
    this.closeUpstream(forwardableCode(code), reason.toString());
    this.maybeEnd();
  }

  private upstreamClosed(code: number, reason: Buffer): void {
    if (this.client.readyState === WebSocket.OPEN || this.client.readyState === WebSocket.CONNECTING) {
      this.client.close(forwardableCode(code, 1011), reason.toString());
    }
    this.maybeEnd();
  }

  private closeUpstream(code: number, reason: string): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (this.upstream.readyState === WebSocket.OPEN || this.upstream.readyState === WebSocket.CONNECTING) this.upstream.close(code, reason);
  }

  private closeBoth(code: number, reason: string): void {
    for (const side of [this.client, this.upstream]) {
      if (side.readyState === WebSocket.OPEN) side.close(code, reason);
      else if (side.readyState === WebSocket.CONNECTING) side.terminate();
    }
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }

  private ping(): void {
    for (const side of [this.client, this.upstream]) {
      if (side.readyState !== WebSocket.OPEN) continue;
      if (!this.alive.get(side)) {
        // No pong since the last ping: the peer is gone. Its close event closes the other side.
        side.terminate();
        continue;
      }
      this.alive.set(side, false);
      side.ping();
    }
  }

  private maybeEnd(): void {
    if (this.ended || this.client.readyState !== WebSocket.CLOSED || this.upstream.readyState !== WebSocket.CLOSED) return;
    this.ended = true;
    clearInterval(this.keepAlive);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.hooks.onEnd();
  }
}

/**
 * A close code that may be sent on: 1005 (no code) becomes 1000, 1006 (connection lost) and
 * other reserved codes become `abnormal`.
 */
export function forwardableCode(code: number, abnormal = 1000): number {
  if (code === 1005) return 1000;
  const valid = (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
  return valid ? code : abnormal;
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
