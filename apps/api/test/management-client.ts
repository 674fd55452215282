/** A small management-API client for end-to-end tests: session cookie or access token, plus New-Api-User. */
export interface Reply<T = unknown> {
  status: number;
  body: { success: boolean; message: string; data?: T } & Record<string, unknown>;
  headers: Headers;
}

export class ManagementClient {
  private cookie = '';
  private accessToken = '';
  userId: number | null = null;

  constructor(readonly baseUrl: string) {}

  /** Logs in with a password; keeps the session cookie for later calls. */
  async login(username: string, password: string): Promise<Reply<{ id: number; role: number }>> {
    const reply = await this.request<{ id: number; role: number }>('POST', '/api/user/login', { username, password });
    if (reply.status === 200 && reply.body.success && reply.body.data) {
      this.userId = reply.body.data.id;
      const setCookie = reply.headers.getSetCookie();
      this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    }
    return reply;
  }

  /** Logs in and fails the test if that does not work. */
  async loginOrThrow(username: string, password: string): Promise<this> {
    const reply = await this.login(username, password);
    if (!reply.body.success) throw new Error(`login as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return this;
  }

  /** Authenticates with a management access token instead of the cookie. */
  useAccessToken(token: string, userId: number): this {
    this.cookie = '';
    this.accessToken = token;
    this.userId = userId;
    return this;
  }

  /** The headers that authenticate this client (cookie or access token, and New-Api-User), for raw fetches. */
  authHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.accessToken) headers.authorization = this.accessToken;
    if (this.userId !== null) headers['New-Api-User'] = String(this.userId);
    return headers;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.accessToken) headers.authorization = this.accessToken;
    if (this.userId !== null && !('New-Api-User' in extraHeaders)) headers['New-Api-User'] = String(this.userId);
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: Reply<T>['body'];
    try {
      parsed = JSON.parse(text) as Reply<T>['body'];
    } catch {
      throw new Error(`${method} ${path} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }
}
