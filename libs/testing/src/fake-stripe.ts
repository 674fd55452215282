/**
 * A fake Stripe API: a real HTTP server answering `POST /v1/checkout/sessions` the way Stripe does
 * (form-encoded request, `checkout.session` JSON object, `{error:{type,message}}` failures, Bearer
 * secret key). Records every request with its decoded form fields, so a test can assert what the
 * gateway asked Stripe for. Point the `stripe` SDK at it with `{host, port, protocol: 'http'}`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeHttpServer } from './fake-http-server';

export interface RecordedStripeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Form fields as sent, e.g. `line_items[0][quantity]`. */
  form: Record<string, string>;
}

export interface FakeStripeBehaviour {
  /** Answer this Stripe error (HTTP status and message) instead of a session. */
  failure?: { status: number; type?: string; message: string };
  /** Checkout page base; the session URL is `<checkoutBase>/c/pay/<id>`. */
  checkoutBase?: string;
}

export interface FakeStripe {
  url: string;
  host: string;
  port: number;
  requests: RecordedStripeRequest[];
  /** Sessions created, by id. */
  sessions: Map<string, Record<string, unknown>>;
  behave(behaviour: FakeStripeBehaviour): void;
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': `req_${randomBytes(7).toString('hex')}` });
  res.end(text);
};

const stripeError = (res: ServerResponse, status: number, type: string, message: string) => sendJson(res, status, { error: { type, message } });

export async function startFakeStripe(initial: FakeStripeBehaviour = {}): Promise<FakeStripe> {
  let behaviour = initial;
  const requests: RecordedStripeRequest[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const form = Object.fromEntries(new URLSearchParams(rawBody));
    const path = (req.url ?? '').split('?')[0];
    requests.push({ method: req.method ?? '', path, headers: req.headers, form });
    const auth = req.headers.authorization ?? '';
    if (!/^Bearer (sk|rk)_\S+$/.test(auth)) {
      stripeError(res, 401, 'invalid_request_error', 'Invalid API Key provided');
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/checkout/sessions') {
      stripeError(res, 404, 'invalid_request_error', `Unrecognized request URL (${req.method ?? ''}: ${path})`);
      return;
    }
    if (behaviour.failure) {
      stripeError(res, behaviour.failure.status, behaviour.failure.type ?? 'api_error', behaviour.failure.message);
      return;
    }
    if (form.mode !== 'payment' || !form['line_items[0][price]'] || !form.success_url) {
      stripeError(res, 400, 'invalid_request_error', 'Missing required param: mode, line_items or success_url');
      return;
    }
    const id = `cs_test_${randomBytes(12).toString('hex')}`;
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(form)) {
      const match = /^metadata\[(.+)\]$/.exec(name);
      if (match) metadata[match[1]] = value;
    }
    const session = {
      id,
      object: 'checkout.session',
      url: `${behaviour.checkoutBase ?? 'https://checkout.stripe.com'}/c/pay/${id}`,
      status: 'open',
      payment_status: 'unpaid',
      mode: 'payment',
      client_reference_id: form.client_reference_id ?? null,
      customer: form.customer ?? null,
      customer_email: form.customer_email ?? null,
      success_url: form.success_url,
      cancel_url: form.cancel_url ?? null,
      amount_total: null,
      currency: null,
      metadata,
      livemode: false,
      created: Math.floor(Date.now() / 1000),
    };
    sessions.set(id, session);
    sendJson(res, 200, session);
  });
  const { hostname, port } = new URL(server.url);
  return {
    url: server.url,
    host: hostname,
    port: Number(port),
    requests,
    sessions,
    behave: (next) => {
      behaviour = next;
    },
    close: () => server.close(),
  };
}
