import { forwardToApi } from './forward';

/**
 * Route-handler exports shared by every proxied prefix. Each
 * app/<prefix>/[[...path]]/route.ts re-exports these.
 */
type Handler = (request: Request) => Promise<Response>;

export const GET: Handler = forwardToApi;
export const HEAD: Handler = forwardToApi;
export const POST: Handler = forwardToApi;
export const PUT: Handler = forwardToApi;
export const PATCH: Handler = forwardToApi;
export const DELETE: Handler = forwardToApi;
export const OPTIONS: Handler = forwardToApi;
