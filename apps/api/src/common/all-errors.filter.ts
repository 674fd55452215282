import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from './api-error';
import { errorFormatOf, renderError } from './error-format';
import { requestPath, writeJson } from './request-fields';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
}

function describe(raw: unknown): { status: number; code: string; message: string } {
  // Nest wraps body-parser failures in an HttpException; judge them by the parser's own error.
  const wrapped = raw instanceof HttpException ? (raw.cause as BodyParserError | undefined) : undefined;
  const exception: unknown = wrapped?.type ? wrapped : raw;
  if (exception instanceof ApiError) return { status: exception.status, code: exception.code, message: exception.message };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let message = exception.message;
    if (typeof response === 'object' && response !== null && 'message' in response) {
      const inner = (response as { message: unknown }).message;
      message = Array.isArray(inner) ? inner.join('; ') : String(inner);
    }
    if (status === 404 && /^Cannot (GET|POST|PUT|DELETE|PATCH)/.test(message)) message = 'Not found: no such route';
    return { status, code: `http/${status}`, message };
  }
  const parserError = exception as BodyParserError;
  if (parserError?.type === 'entity.too.large') {
    const limitMb = parserError.limit ? Math.round(parserError.limit / 1024 / 1024) : undefined;
    return { status: 413, code: 'request/too-large', message: `Request body is too large${limitMb ? ` (limit ${limitMb} MiB)` : ''}` };
  }
  if (parserError?.type === 'entity.parse.failed') {
    return { status: 400, code: 'request/invalid-json', message: 'Request body is not valid JSON' };
  }
  if (parserError?.type && (parserError.status ?? parserError.statusCode)) {
    const status = parserError.status ?? parserError.statusCode ?? 400;
    return { status, code: 'request/invalid-body', message: 'Request body could not be read' };
  }
  return { status: 500, code: 'internal/error', message: 'Internal server error' };
}

/**
 * Renders one error in the caller's protocol, with the request id; never echoes SQL, URLs or keys.
 * Used by the Nest filter below and by the relay's direct HTTP entry (which runs outside Nest's router).
 */
export function sendError(exception: unknown, req: Request, res: Response, logger: Logger): void {
  const { status, code, message } = describe(exception);
  if (status >= 500) {
    logger.error(`${req.method} ${requestPath(req)} [${req.requestId ?? '-'}]: ${(exception as Error)?.stack ?? String(exception)}`);
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const withId = req.requestId && status >= 500 ? `${message} (request id: ${req.requestId})` : message;
  writeJson(res, status, renderError(errorFormatOf(req), status, code, withId));
}

@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    sendError(exception, context.getRequest<Request>(), context.getResponse<Response>(), this.logger);
  }
}
