import type { ApiEnvelope } from '@your-api/contracts';

/** `{success:true, message:'', data}`: New API's success envelope. */
export function ok<T>(data?: T, message = ''): ApiEnvelope<T> {
  return data === undefined ? { success: true, message } : { success: true, message, data };
}
