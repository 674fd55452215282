import { Agent, Dispatcher, errors, request } from 'undici';
import type { EnvValues } from '../../../config/app-config';
import type { OptionsService } from '../../options/options.service';
import { CheckedTarget, checkFetchTarget, FetchPolicy, FetchRefusedError, HostLookup, pinnedLookup, systemLookup } from './ssrf-guard';

/** A downloaded image. */
export interface FetchedImage {
  mimeType: string;
  data: Buffer;
}

/** What a download may do, read afresh for every request (options change at run time). */
export interface ImageFetchSettings {
  /** MAX_FILE_DOWNLOAD_MB in bytes. */
  maxBytes: number;
  /** USER_CONTENT_REQUEST_TIMEOUT: the whole download of one image, redirects included. */
  timeoutSeconds: number;
  policy: FetchPolicy;
  /** The image proxy (options WorkerUrl, WorkerValidKey, WorkerAllowHttpImageRequestEnabled), or null. */
  worker: { url: string; key: string; allowHttp: boolean } | null;
}

/** A download failed. The message names the host and the reason, never the path or query string. */
export class ImageFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFetchError';
  }
}

/** The option readers ImageFetcher needs (OptionsService has them). */
export type OptionReader = Pick<OptionsService, 'get' | 'getBool' | 'getJson'>;

/** The settings from the environment and the options (fetch_setting.*, Worker*). */
export function readImageFetchSettings(
  env: Pick<EnvValues, 'MAX_FILE_DOWNLOAD_MB' | 'USER_CONTENT_REQUEST_TIMEOUT'>,
  options: OptionReader,
): ImageFetchSettings {
  const list = <T>(key: string): T[] => {
    const value = options.getJson<unknown>(key);
    return Array.isArray(value) ? (value as T[]) : [];
  };
  const workerUrl = options.get('WorkerUrl').trim();
  return {
    maxBytes: env.MAX_FILE_DOWNLOAD_MB * 1024 * 1024,
    timeoutSeconds: env.USER_CONTENT_REQUEST_TIMEOUT,
    policy: {
      enabled: options.getBool('fetch_setting.enable_ssrf_protection'),
      allowPrivateIp: options.getBool('fetch_setting.allow_private_ip'),
      allowedPorts: list<string | number>('fetch_setting.allowed_ports'),
      domainAllowList: options.getBool('fetch_setting.domain_filter_mode'),
      domainList: list<string>('fetch_setting.domain_list'),
      ipAllowList: options.getBool('fetch_setting.ip_filter_mode'),
      ipList: list<string>('fetch_setting.ip_list'),
      applyIpFilterForDomain: options.getBool('fetch_setting.apply_ip_filter_for_domain'),
    },
    worker: workerUrl
      ? { url: workerUrl, key: options.get('WorkerValidKey'), allowHttp: options.getBool('WorkerAllowHttpImageRequestEnabled') }
      : null,
  };
}

/** Downloads running at once for one request. */
const MAX_PARALLEL_DOWNLOADS = 4;
/** Redirects followed per image; each target is checked again. */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Content types that say nothing about the bytes: the type is sniffed instead. */
const GENERIC_CONTENT_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/binary', 'application/unknown']);
const USER_AGENT = 'YourAPI-ImageFetcher/1.0';

/** Why one download failed; `reason` never contains the URL. */
class DownloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Downloads the image URLs of a request so the upstream receives the bytes (Gemini needs inline
 * data; operators may not want any upstream to fetch user-supplied hosts). Direct downloads pass
 * the SSRF guard (fetch_setting.*) on every hop and connect only to the checked addresses. With an
 * image proxy configured, images are fetched through it instead, with New API's protocol: POST
 * {"url": <image URL>, "key": WorkerValidKey} as JSON to WorkerUrl (a "/" is appended when
 * missing, as New API does); the proxy answers with the image response itself.
 */
export class ImageFetcher {
  /** Used when SSRF protection is off, and for the image proxy (an operator-chosen address). */
  private readonly sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 32 });

  constructor(private readonly settings: () => ImageFetchSettings) {}

  close(): Promise<void> {
    return this.sharedAgent.close();
  }

  /**
   * A copy of an OpenAI chat body whose http(s) `image_url` parts carry `data:` URLs instead.
   * The input is not modified; untouched messages are shared with it, not cloned. A URL that
   * appears several times is downloaded once. Any failed download fails the whole call with an
   * ImageFetchError, and the downloads still running are cancelled.
   */
  async inlineImages(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const urls = [...new Set(imageParts(body).map((part) => part.url).filter(isHttpUrl))];
    if (urls.length === 0) return { ...body };
    const settings = this.settings();
    const dataUrls = await this.downloadAll(urls, settings);
    return replaceImageUrls(body, dataUrls);
  }

  /** Downloads one image within the size and time limits; throws ImageFetchError. */
  async fetchImage(rawUrl: string, signal?: AbortSignal, settings: ImageFetchSettings = this.settings()): Promise<FetchedImage> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new ImageFetchError('Could not download an image: its URL is not valid');
    }
    const deadline = AbortSignal.timeout(settings.timeoutSeconds * 1000);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const agents: Agent[] = [];
    try {
      const response = settings.worker
        ? await this.viaWorker(url, settings.worker, settings.policy, combined)
        : await this.direct(url, settings.policy, combined, agents);
      return await readImage(response, settings.maxBytes);
    } catch (error) {
      // Only the host is named: paths and query strings may carry signatures.
      throw new ImageFetchError(`Could not download the image from ${url.host}: ${reasonOf(error, deadline.aborted, settings.timeoutSeconds)}`);
    } finally {
      // Single-use pinned connections; the body has been read or abandoned by now.
      for (const agent of agents) void agent.destroy().catch(() => undefined);
    }
  }

  /** How host names are resolved for the guard (a seam for tests). */
  protected resolveHost: HostLookup = systemLookup;

  /** The connection pool for one checked hop, pinned to the checked addresses (a seam for tests). */
  protected dispatcherFor(target: CheckedTarget): { dispatcher: Dispatcher; singleUse?: Agent } {
    if (!target.addresses) return { dispatcher: this.sharedAgent };
    const agent = new Agent({ connections: 1, keepAliveTimeout: 1_000, connect: { lookup: pinnedLookup(target) } });
    return { dispatcher: agent, singleUse: agent };
  }

  private async downloadAll(urls: string[], settings: ImageFetchSettings): Promise<Map<string, string>> {
    const dataUrls = new Map<string, string>();
    const batch = new AbortController();
    let next = 0;
    const runner = async (): Promise<void> => {
      while (next < urls.length && !batch.signal.aborted) {
        const url = urls[next++];
        const image = await this.fetchImage(url, batch.signal, settings);
        dataUrls.set(url, `data:${image.mimeType};base64,${image.data.toString('base64')}`);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_DOWNLOADS, urls.length) }, runner));
    } catch (error) {
      batch.abort();
      throw error;
    }
    return dataUrls;
  }

  private async direct(url: URL, policy: FetchPolicy, signal: AbortSignal, agents: Agent[]): Promise<Dispatcher.ResponseData> {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      let target: CheckedTarget;
      try {
        target = await checkFetchTarget(current, policy, this.resolveHost, signal);
      } catch (error) {
        if (redirects > 0 && error instanceof FetchRefusedError) {
          throw new DownloadError(`it redirects to ${current.host}, which is refused: ${error.reason}`);
        }
        throw error;
      }
      const { dispatcher, singleUse } = this.dispatcherFor(target);
      if (singleUse) agents.push(singleUse);
      const response = await request(current, {
        method: 'GET',
        headers: { accept: 'image/*', 'user-agent': USER_AGENT },
        dispatcher,
        signal,
      });
      if (!REDIRECT_STATUSES.has(response.statusCode)) return response;
      await response.body.dump();
      if (redirects === MAX_REDIRECTS) throw new DownloadError(`it redirects more than ${MAX_REDIRECTS} times`);
      const location = header(response.headers, 'location');
      let nextUrl: URL | null;
      try {
        nextUrl = location ? new URL(location, current) : null;
      } catch {
        nextUrl = null;
      }
      if (!nextUrl) throw new DownloadError(`the host answered HTTP ${response.statusCode} without a valid Location`);
      current = nextUrl;
    }
  }

  private async viaWorker(
    url: URL,
    worker: NonNullable<ImageFetchSettings['worker']>,
    policy: FetchPolicy,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    if (url.protocol === 'http:' && !worker.allowHttp) {
      throw new DownloadError('only https image URLs can be fetched through the image proxy');
    }
    // The rules apply in proxy mode too (as in New API): a self-hosted proxy may share the gateway's network.
    await checkFetchTarget(url, policy, this.resolveHost, signal);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(worker.url.endsWith('/') ? worker.url : `${worker.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
        body: JSON.stringify({ url: url.href, key: worker.key }),
        dispatcher: this.sharedAgent,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new DownloadError(`the image proxy could not be reached${errorCode(error)}`);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      await response.body.dump();
      throw new DownloadError(`the image proxy answered HTTP ${response.statusCode}`);
    }
    return response;
  }
}

/** Reads an image response within `maxBytes`; refuses other statuses and non-image content. */
async function readImage(response: Dispatcher.ResponseData, maxBytes: number): Promise<FetchedImage> {
  const { statusCode, headers, body } = response;
  if (statusCode < 200 || statusCode > 299) {
    await body.dump();
    throw new DownloadError(`the host answered HTTP ${statusCode}`);
  }
  const declaredType = (header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!declaredType.startsWith('image/') && !GENERIC_CONTENT_TYPES.has(declaredType)) {
    discard(body);
    throw new DownloadError(`the content is ${declaredType.replace(/[^\w.+/-]/g, '').slice(0, 60)}, not an image`);
  }
  const limitText = `the image is larger than the ${maxBytes / (1024 * 1024)} MB limit`;
  const declaredLength = Number(header(headers, 'content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    discard(body);
    throw new DownloadError(limitText);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > maxBytes) {
      discard(body);
      throw new DownloadError(limitText);
    }
    chunks.push(buffer);
  }
  const data = Buffer.concat(chunks, received);
  const mimeType = declaredType.startsWith('image/') ? normaliseImageType(declaredType) : sniffImageType(data);
  if (!mimeType) throw new DownloadError('the content is not a recognised image (png, jpeg, gif or webp)');
  return { mimeType, data };
}

/** The image type from magic bytes (png, jpeg, gif, webp), or null. */
export function sniffImageType(data: Buffer): string | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  const ascii = (start: number, end: number): string => data.subarray(start, end).toString('latin1');
  if (data.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (data.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Common misspellings of image/jpeg, which some upstreams (Claude) refuse. */
function normaliseImageType(type: string): string {
  return type === 'image/jpg' || type === 'image/pjpeg' ? 'image/jpeg' : type;
}

interface ImagePart {
  url: string;
}

/** The `image_url` parts of an OpenAI chat body (`image_url` as {url} or, leniently, a string). */
function imageParts(body: Record<string, unknown>): ImagePart[] {
  const parts: ImagePart[] = [];
  const messages = body.messages;
  if (!Array.isArray(messages)) return parts;
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      const url = imageUrlOf(part);
      if (url !== null) parts.push({ url });
    }
  }
  return parts;
}

function imageUrlOf(part: unknown): string | null {
  if (typeof part !== 'object' || part === null || (part as { type?: unknown }).type !== 'image_url') return null;
  const imageUrl = (part as { image_url?: unknown }).image_url;
  if (typeof imageUrl === 'string') return imageUrl;
  const url = (imageUrl as { url?: unknown } | null)?.url;
  return typeof url === 'string' ? url : null;
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

/** Copies the body along the paths that change; everything else is shared. */
function replaceImageUrls(body: Record<string, unknown>, dataUrls: Map<string, string>): Record<string, unknown> {
  const messages = (body.messages as unknown[]).map((message) => {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) return message;
    let changed = false;
    const parts = content.map((part: unknown) => {
      const url = imageUrlOf(part);
      const dataUrl = url === null ? undefined : dataUrls.get(url);
      if (dataUrl === undefined) return part;
      changed = true;
      const imagePart = part as Record<string, unknown>;
      const imageUrl = imagePart.image_url;
      return {
        ...imagePart,
        image_url: typeof imageUrl === 'string' ? dataUrl : { ...(imageUrl as Record<string, unknown>), url: dataUrl },
      };
    });
    return changed ? { ...(message as Record<string, unknown>), content: parts } : message;
  });
  return { ...body, messages };
}

/** Drops a body not read to the end (undici reports that as an error event, which nobody awaits). */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? ` (${code})` : '';
}

function reasonOf(error: unknown, timedOut: boolean, timeoutSeconds: number): string {
  if (timedOut) return `it did not arrive within ${timeoutSeconds} s`;
  if (error instanceof DownloadError || error instanceof FetchRefusedError) return error.reason;
  if (error instanceof errors.RequestAbortedError || (error instanceof Error && error.name === 'AbortError')) {
    return 'the download was cancelled';
  }
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) return 'the host did not answer in time';
  return `the connection failed${errorCode(error)}`;
}
