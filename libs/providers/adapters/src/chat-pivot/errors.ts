import type { ProviderErrorDetail } from '@your-api/providers-core';
import { isObject, stringField } from './json-fields';

/**
 * Reads an error body whose fields sit at the top level (`{message}` Cohere, `{code,message,status}`
 * Dify, `{code,msg}` Coze) or in an OpenAI-style `error` object (proxies in front of them). Empty
 * fields when absent, so the caller can fall back to the raw text or the status.
 */
export function readFlatError(json: unknown): ProviderErrorDetail {
  const body = isObject(json) ? json : {};
  const error = isObject(body.error) ? body.error : body;
  const code = error.code;
  return {
    message: stringField(error, 'message') || stringField(error, 'msg') || (typeof body.error === 'string' ? body.error : ''),
    type: stringField(error, 'type'),
    code: typeof code === 'string' ? code : typeof code === 'number' ? String(code) : '',
  };
}
