import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Oneapi-Request-Id';

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
  }
}

/** Gives every request an id (New API's header name), echoed in errors and logs. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const now = new Date();
  const stamp = now.toISOString().replace(/[-:TZ.]/g, '').slice(0, 17);
  req.requestId = `${stamp}${randomBytes(4).toString('hex')}`;
  res.setHeader(REQUEST_ID_HEADER, req.requestId);
  next();
}
