import { randomInt } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Oneapi-Request-Id';

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
  }
}

let stampMs = -1;
let stamp = '';
/** `yyyyMMddHHmmss` of the current second: one Date formatting per second, not per millisecond. */
let secondStart = -1;
let secondStamp = '';
/** Starts at a random point so two processes (or restarts) do not hand out the same ids. */
let sequence = randomInt(0x1_0000_0000);

/** `yyyyMMddHHmmssSSS` (UTC) + 8 hex digits: New API's shape, made once per millisecond, not per request. */
export function nextRequestId(now = Date.now()): string {
  if (now !== stampMs) {
    stampMs = now;
    const millis = now % 1000;
    if (now - millis !== secondStart) {
      secondStart = now - millis;
      secondStamp = new Date(secondStart).toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
    }
    stamp = secondStamp + (millis < 10 ? '00' : millis < 100 ? '0' : '') + millis;
  }
  sequence = (sequence + 1) % 0x1_0000_0000;
  return stamp + sequence.toString(16).padStart(8, '0');
}

/** Gives every request an id (New API's header name), echoed in errors and logs. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  req.requestId = nextRequestId();
  res.setHeader(REQUEST_ID_HEADER, req.requestId);
  next();
}
