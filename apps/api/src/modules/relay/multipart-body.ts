import busboy from 'busboy';
import { FormData } from 'undici';
import { ApiError } from '../../common/api-error';

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A multipart/form-data request read whole: its text fields and its files. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
  /** The client's bytes and Content-Type (with boundary), forwarded untouched when nothing changes. */
  raw: Buffer;
  contentType: string;
}

/** Parses an already-buffered multipart body (the route's raw parser enforces the size limit). */
export function parseMultipart(raw: Buffer, contentType: string): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: MultipartFile[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType } });
    } catch {
      reject(ApiError.badRequest('request/invalid-multipart', 'The request must be multipart/form-data with a boundary'));
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => files.push({ field, filename: info.filename ?? 'file', contentType: info.mimeType, data: Buffer.concat(chunks) }));
    });
    parser.on('error', () => reject(ApiError.badRequest('request/invalid-multipart', 'The multipart/form-data body is malformed')));
    parser.on('close', () => resolve({ fields, files, raw, contentType }));
    parser.end(raw);
  });
}

/** Rebuilds a multipart body with some fields replaced (e.g. the model after mapping). */
export function rebuildMultipart(body: MultipartBody, overrides: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...body.fields, ...overrides })) form.append(name, value);
  for (const file of body.files) form.append(file.field, new Blob([file.data], { type: file.contentType }), file.filename);
  return form;
}
