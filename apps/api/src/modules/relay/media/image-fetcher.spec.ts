import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Agent, Dispatcher } from 'undici';
import { readEnv } from '../../../config/app-config';
import { OPTION_DEFINITIONS } from '../../options/option-defaults';
import { ImageFetcher, ImageFetchError, OptionReader, readImageFetchSettings, sniffImageType } from './image-fetcher';
import { CheckedTarget, HostLookup } from './ssrf-guard';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png-body')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('jpeg-body')]);
const GIF = Buffer.from('GIF89a-gif-body');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 webp-body')]);
const MB = 1024 * 1024;

const dataUrl = (mime: string, bytes: Buffer): string => `data:${mime};base64,${bytes.toString('base64')}`;

/** A local image host: records hits per path and the most requests in flight at once. */
class ImageHost {
  readonly hits = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  private server!: Server;
  port = 0;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    this.hits.set(url.pathname, (this.hits.get(url.pathname) ?? 0) + 1);
    res.on('error', () => undefined);
    const send = (type: string | null, body: Buffer): void => {
      res.writeHead(200, type ? { 'content-type': type } : {});
      res.end(body);
    };
    const redirect = /^\/redirect\/(\d+)$/.exec(url.pathname);
    if (redirect) {
      const left = Number(redirect[1]);
      res.writeHead(302, { location: left === 0 ? '/cat.png' : `/redirect/${left - 1}` });
      res.end();
      return;
    }
    switch (url.pathname) {
      case '/cat.png':
        return send('image/png', PNG);
      case '/photo.jpg':
        return send('image/jpg; charset=binary', JPEG);
      case '/untyped':
        return send(null, PNG);
      case '/octet.webp':
        return send('application/octet-stream', WEBP);
      case '/octet.gif':
        return send('binary/octet-stream', GIF);
      case '/octet.bin':
        return send('application/octet-stream', Buffer.from('just some bytes'));
      case '/page.html':
        return send('text/html; charset=utf-8', Buffer.from('<html>not an image</html>'));
      case '/text.png':
        return send('text/plain', PNG);
      case '/missing.png':
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no such image');
        return;
      case '/declared-huge':
        // Announces more than the limit, then stalls: only a check of Content-Length refuses it quickly.
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(5 * MB) });
        res.write(PNG);
        return;
      case '/streamed-huge': {
        res.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const pump = (): void => {
          while (sent < 2 * MB && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      case '/slow.png': {
        const timer = setTimeout(() => send('image/png', PNG), 3_000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case '/parallel.png': {
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        setTimeout(() => {
          this.inFlight--;
          send('image/png', PNG);
        }, 150);
        return;
      }
      case '/to-loopback':
        res.writeHead(302, { location: `http://127.0.0.1:${this.port}/cat.png` });
        res.end();
        return;
      case '/to-internal':
        res.writeHead(301, { location: `http://internal.example:${this.port}/cat.png` });
        res.end();
        return;
      case '/to-public':
        res.writeHead(307, { location: `http://other.example:${this.port}/cat.png` });
        res.end();
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  }
}

/** A fake image proxy speaking New API's worker protocol; answers with PNG bytes or `status`. */
class FakeWorker {
  readonly received: { path: string; body: Record<string, unknown> }[] = [];
  status = 200;
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(this.status, { 'content-type': this.status === 200 ? 'image/png' : 'text/plain' });
        res.end(this.status === 200 ? PNG : 'forbidden');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The options with their real defaults, read like OptionsService reads them. */
class FakeOptions implements OptionReader {
  private readonly values = new Map(Object.entries(OPTION_DEFINITIONS).map(([key, definition]) => [key, definition.default]));

  set(key: string, value: string): void {
    const definition = OPTION_DEFINITIONS[key];
    if (!definition) throw new Error(`unknown option ${key}`);
    if (definition.kind === 'json') expect(definition.validate?.(JSON.parse(value)) ?? null).toBeNull();
    this.values.set(key, value);
  }
  get(key: string): string {
    return this.values.get(key) ?? '';
  }
  getBool(key: string): boolean {
    return this.get(key) === 'true';
  }
  getJson<T>(key: string): T {
    return JSON.parse(this.get(key) || 'null') as T;
  }
}

/** MAX_FILE_DOWNLOAD_MB=1, USER_CONTENT_REQUEST_TIMEOUT=1 */
const env = readEnv({ MAX_FILE_DOWNLOAD_MB: '1', USER_CONTENT_REQUEST_TIMEOUT: '1' });

const chatBody = (...urls: string[]): Record<string, unknown> => ({
  model: 'gemini-2.5-flash',
  messages: [
    { role: 'system', content: 'Describe images.' },
    {
      role: 'user',
      content: [{ type: 'text', text: 'What is this?' }, ...urls.map((url) => ({ type: 'image_url', image_url: { url, detail: 'low' } }))],
    },
  ],
});

const imageUrlsOf = (body: Record<string, unknown>): unknown[] =>
  (body.messages as { content: unknown }[])
    .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
    .filter((part: { type?: string }) => part.type === 'image_url')
    .map((part: { image_url: { url: string } | string }) => (typeof part.image_url === 'string' ? part.image_url : part.image_url.url));

async function failure(promise: Promise<unknown>): Promise<ImageFetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImageFetchError) return error;
    throw error;
  }
  throw new Error('expected the download to fail');
}

describe('ImageFetcher', () => {
  const host = new ImageHost();
  const worker = new FakeWorker();
  let options: FakeOptions;
  let fetcher: ImageFetcher;

  beforeAll(async () => {
    await host.start();
    await worker.start();
  });
  afterAll(async () => {
    await host.stop();
    await worker.stop();
  });

  beforeEach(async () => {
    host.hits.clear();
    options = new FakeOptions();
    // The image host is this machine, on a random port.
    options.set('fetch_setting.allow_private_ip', 'true');
    options.set('fetch_setting.allowed_ports', JSON.stringify(['80', '443', String(host.port)]));
    fetcher = new ImageFetcher(() => readImageFetchSettings(env, options));
  });
  afterEach(() => fetcher.close());

  describe('inlineImages', () => {
    it('replaces http image URLs by data URLs with the served type', async () => {
      const body = chatBody(`${host.origin}/cat.png`, `${host.origin}/photo.jpg`);
      const inlined = await fetcher.inlineImages(body);
      expect(imageUrlsOf(inlined)).toEqual([dataUrl('image/png', PNG), dataUrl('image/jpeg', JPEG)]);
      // Everything else in the part and the body is kept.
      const parts = (inlined.messages as { content: unknown[] }[])[1].content;
      expect(parts[0]).toEqual({ type: 'text', text: 'What is this?' });
      expect(parts[1]).toEqual({ type: 'image_url', image_url: { url: dataUrl('image/png', PNG), detail: 'low' } });
      expect(inlined.model).toBe('gemini-2.5-flash');
    });

    it('does not modify the input body', async () => {
      const body = chatBody(`${host.origin}/cat.png`);
      const before = JSON.stringify(body);
      const inlined = await fetcher.inlineImages(body);
      expect(JSON.stringify(body)).toBe(before);
      expect(inlined).not.toBe(body);
      expect(inlined.messages).not.toBe(body.messages);
    });

    it('leaves data URLs and bodies without image URLs alone', async () => {
      const existing = dataUrl('image/gif', GIF);
      const body = chatBody(existing);
      const inlined = await fetcher.inlineImages(body);
      expect(imageUrlsOf(inlined)).toEqual([existing]);
      expect(host.hits.size).toBe(0);
      expect(await fetcher.inlineImages({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).toEqual({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
      });
    });

    it('accepts image_url given as a bare string', async () => {
      const body = { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: `${host.origin}/cat.png` }] }] };
      const inlined = await fetcher.inlineImages(body);
      expect((inlined.messages as { content: unknown[] }[])[0].content[0]).toEqual({ type: 'image_url', image_url: dataUrl('image/png', PNG) });
    });

    it('downloads a URL repeated in one request once', async () => {
      const url = `${host.origin}/cat.png`;
      const body = chatBody(url, url);
      (body.messages as unknown[]).push({ role: 'user', content: [{ type: 'image_url', image_url: { url } }] });
      const inlined = await fetcher.inlineImages(body);
      expect(imageUrlsOf(inlined)).toEqual([dataUrl('image/png', PNG), dataUrl('image/png', PNG), dataUrl('image/png', PNG)]);
      expect(host.hits.get('/cat.png')).toBe(1);
    });

    it('runs at most 4 downloads at once', async () => {
      host.maxInFlight = 0;
      const urls = Array.from({ length: 7 }, (_, i) => `${host.origin}/parallel.png?i=${i}`);
      const inlined = await fetcher.inlineImages(chatBody(...urls));
      expect(imageUrlsOf(inlined)).toEqual(urls.map(() => dataUrl('image/png', PNG)));
      expect(host.hits.get('/parallel.png')).toBe(7);
      expect(host.maxInFlight).toBe(4);
    });

    it('fails the request when one image fails, naming the host but not the query string', async () => {
      const error = await failure(fetcher.inlineImages(chatBody(`${host.origin}/cat.png`, `${host.origin}/missing.png?X-Signature=s3cret`)));
      expect(error.message).toBe(`Could not download the image from 127.0.0.1:${host.port}: the host answered HTTP 404`);
      expect(error.message).not.toContain('s3cret');
    });
  });

  describe('fetchImage', () => {
    it.each([
      ['/untyped', 'image/png', PNG],
      ['/octet.webp', 'image/webp', WEBP],
      ['/octet.gif', 'image/gif', GIF],
    ])('sniffs the type of %s when Content-Type is missing or generic', async (path, mime, bytes) => {
      await expect(fetcher.fetchImage(`${host.origin}${path}`)).resolves.toEqual({ mimeType: mime, data: bytes });
    });

    it('refuses generic content that is not a known image', async () => {
      expect((await failure(fetcher.fetchImage(`${host.origin}/octet.bin`))).message).toMatch(
        /: the content is not a recognised image \(png, jpeg, gif or webp\)$/,
      );
    });

    it('refuses non-image content types without reading further', async () => {
      expect((await failure(fetcher.fetchImage(`${host.origin}/page.html`))).message).toMatch(/: the content is text\/html, not an image$/);
      expect((await failure(fetcher.fetchImage(`${host.origin}/text.png`))).message).toMatch(/: the content is text\/plain, not an image$/);
    });

    it('refuses a body announced larger than MAX_FILE_DOWNLOAD_MB before reading it', async () => {
      const started = Date.now();
      const error = await failure(fetcher.fetchImage(`${host.origin}/declared-huge`));
      expect(error.message).toMatch(/: the image is larger than the 1 MB limit$/);
      // The server stalls after the headers: waiting for the body would end in the 1 s timeout instead.
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('stops reading a body that grows past MAX_FILE_DOWNLOAD_MB', async () => {
      expect((await failure(fetcher.fetchImage(`${host.origin}/streamed-huge`))).message).toMatch(/: the image is larger than the 1 MB limit$/);
    });

    it('gives up after USER_CONTENT_REQUEST_TIMEOUT', async () => {
      const started = Date.now();
      const error = await failure(fetcher.fetchImage(`${host.origin}/slow.png`));
      expect(error.message).toBe(`Could not download the image from 127.0.0.1:${host.port}: it did not arrive within 1 s`);
      expect(Date.now() - started).toBeLessThan(2_500);
    });

    it('follows up to 3 redirects', async () => {
      await expect(fetcher.fetchImage(`${host.origin}/redirect/2`)).resolves.toEqual({ mimeType: 'image/png', data: PNG });
      expect(host.hits.get('/cat.png')).toBe(1);
    });

    it('refuses a 4th redirect', async () => {
      expect((await failure(fetcher.fetchImage(`${host.origin}/redirect/3`))).message).toMatch(/: it redirects more than 3 times$/);
      expect(host.hits.get('/cat.png')).toBeUndefined();
    });

    it('refuses the local host when private addresses are not allowed', async () => {
      options.set('fetch_setting.allow_private_ip', 'false');
      const error = await failure(fetcher.fetchImage(`${host.origin}/cat.png`));
      expect(error.message).toBe(
        `Could not download the image from 127.0.0.1:${host.port}: the address 127.0.0.1 is a non-public address (loopback)`,
      );
      expect(host.hits.size).toBe(0);
    });

    it('refuses ports outside fetch_setting.allowed_ports', async () => {
      options.set('fetch_setting.allowed_ports', '["443"]');
      expect((await failure(fetcher.fetchImage(`${host.origin}/cat.png`))).message).toMatch(new RegExp(`: port ${host.port} is not allowed$`));
      expect(host.hits.size).toBe(0);
    });

    it('connects to the address the guard checked, without asking DNS again', async () => {
      class CheckedDnsFetcher extends ImageFetcher {
        readonly resolved: string[] = [];
        protected override resolveHost: HostLookup = async (hostname) => {
          this.resolved.push(hostname);
          return [{ address: '127.0.0.1', family: 4 }];
        };
      }
      const pinned = new CheckedDnsFetcher(() => readImageFetchSettings(env, options));
      try {
        // .invalid never resolves in real DNS: only the pinned, checked address can be reached.
        await expect(pinned.fetchImage(`http://images.invalid:${host.port}/cat.png`)).resolves.toEqual({ mimeType: 'image/png', data: PNG });
        expect(pinned.resolved).toEqual(['images.invalid']);
      } finally {
        await pinned.close();
      }
    });

    it('refuses a URL that is not valid', async () => {
      expect((await failure(fetcher.fetchImage('http://'))).message).toBe('Could not download an image: its URL is not valid');
    });
  });

  describe('redirects when private addresses are not allowed', () => {
    /**
     * Pretends images.example and other.example are public hosts while every connection reaches
     * the local test server, so the guard's decision on each redirect target can be observed.
     */
    class PublicLookingFetcher extends ImageFetcher {
      readonly connectedTo: string[] = [];
      protected override resolveHost: HostLookup = async (hostname) => {
        const table: Record<string, string> = { 'images.example': '93.184.215.14', 'other.example': '93.184.215.15', 'internal.example': '10.0.0.7' };
        if (!table[hostname]) throw new Error('ENOTFOUND');
        return [{ address: table[hostname], family: 4 }];
      };
      protected override dispatcherFor(target: CheckedTarget): { dispatcher: Dispatcher; singleUse?: Agent } {
        this.connectedTo.push(`${target.hostname} ${target.addresses?.map((a) => a.address).join(',')}`);
        const agent = new Agent({
          connect: {
            lookup: (_hostname, lookupOptions, callback) =>
              lookupOptions.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4),
          },
        });
        return { dispatcher: agent, singleUse: agent };
      }
    }

    let guarded: PublicLookingFetcher;
    beforeEach(async () => {
      options.set('fetch_setting.allow_private_ip', 'false');
      guarded = new PublicLookingFetcher(() => readImageFetchSettings(env, options));
    });
    afterEach(() => guarded.close());

    it('follows a redirect to another public host, checking it', async () => {
      await expect(guarded.fetchImage(`http://images.example:${host.port}/to-public`)).resolves.toEqual({ mimeType: 'image/png', data: PNG });
      expect(guarded.connectedTo).toEqual(['images.example 93.184.215.14', 'other.example 93.184.215.15']);
    });

    it('refuses a redirect to 127.0.0.1', async () => {
      const error = await failure(guarded.fetchImage(`http://images.example:${host.port}/to-loopback?token=abc`));
      expect(error.message).toBe(
        `Could not download the image from images.example:${host.port}: it redirects to 127.0.0.1:${host.port}, which is refused: ` +
          'the address 127.0.0.1 is a non-public address (loopback)',
      );
      expect(host.hits.get('/to-loopback')).toBe(1);
      expect(host.hits.get('/cat.png')).toBeUndefined();
      expect(guarded.connectedTo).toEqual(['images.example 93.184.215.14']);
    });

    it('refuses a redirect to a name resolving to a private address', async () => {
      const error = await failure(guarded.fetchImage(`http://images.example:${host.port}/to-internal`));
      expect(error.message).toMatch(/it redirects to internal\.example:\d+, which is refused: the host resolves to an address that is a non-public address \(private\)$/);
      expect(host.hits.get('/cat.png')).toBeUndefined();
    });
  });

  describe('through the image proxy (WorkerUrl)', () => {
    beforeEach(async () => {
      worker.received.length = 0;
      worker.status = 200;
      options.set('WorkerUrl', `http://127.0.0.1:${worker.port}/fetch`);
      options.set('WorkerValidKey', 'worker-secret');
    });

    it('posts {url, key} to the proxy and inlines its answer; the image host is never contacted', async () => {
      const url = 'https://127.0.0.1/cat.png?sig=abc';
      const inlined = await fetcher.inlineImages(chatBody(url));
      expect(imageUrlsOf(inlined)).toEqual([dataUrl('image/png', PNG)]);
      expect(worker.received).toEqual([{ path: '/fetch/', body: { url, key: 'worker-secret' } }]);
      expect(host.hits.size).toBe(0);
    });

    it('refuses plain http URLs unless WorkerAllowHttpImageRequestEnabled', async () => {
      const url = `${host.origin}/cat.png`;
      expect((await failure(fetcher.fetchImage(url))).message).toMatch(/: only https image URLs can be fetched through the image proxy$/);
      expect(worker.received).toEqual([]);

      options.set('WorkerAllowHttpImageRequestEnabled', 'true');
      await expect(fetcher.fetchImage(url)).resolves.toEqual({ mimeType: 'image/png', data: PNG });
      expect(worker.received.map((r) => r.body.url)).toEqual([url]);
      expect(host.hits.size).toBe(0);
    });

    it('still applies the fetch rules before asking the proxy', async () => {
      options.set('fetch_setting.allow_private_ip', 'false');
      expect((await failure(fetcher.fetchImage('https://127.0.0.1/cat.png'))).message).toMatch(/non-public address \(loopback\)$/);
      expect(worker.received).toEqual([]);
    });

    it('reports a proxy error status without the key', async () => {
      worker.status = 403;
      const error = await failure(fetcher.fetchImage('https://127.0.0.1/cat.png'));
      expect(error.message).toBe('Could not download the image from 127.0.0.1: the image proxy answered HTTP 403');
      expect(error.message).not.toContain('worker-secret');
    });
  });
});

describe('sniffImageType', () => {
  it.each([
    [PNG, 'image/png'],
    [JPEG, 'image/jpeg'],
    [GIF, 'image/gif'],
    [Buffer.from('GIF87a...'), 'image/gif'],
    [WEBP, 'image/webp'],
  ])('recognises %#', (bytes, mime) => {
    expect(sniffImageType(bytes)).toBe(mime);
  });

  it.each([Buffer.from(''), Buffer.from('<svg></svg>'), Buffer.from('RIFF\0\0\0\0WAVEfmt '), PNG.subarray(0, 7)])('rejects %#', (bytes) => {
    expect(sniffImageType(bytes)).toBeNull();
  });
});
