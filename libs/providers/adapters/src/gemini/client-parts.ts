import { ClientRequestError, type OpenAiContentPart } from '@your-api/providers-core';
import { expectObject, expectString, field, optionalString, type JsonObject } from './client-fields';
import { isRecord } from './json-values';

/** One Gemini client part, validated and sorted by what it becomes on the OpenAI side. */
export type ClientPart =
  | { kind: 'text'; text: string }
  | { kind: 'media'; part: OpenAiContentPart }
  | { kind: 'functionCall'; name: string; args: Record<string, unknown>; id?: string }
  | { kind: 'functionResponse'; name: string; response: unknown; id?: string }
  /** Thoughts and code-execution parts: valid, but nothing an OpenAI request can carry. */
  | { kind: 'dropped' };

/** OpenAI input_audio formats by audio subtype where the names differ. */
const AUDIO_FORMATS: Readonly<Record<string, string>> = Object.freeze({ mpeg: 'mp3', 'x-wav': 'wav', wave: 'wav' });

const DROPPED_PART_FIELDS = ['executableCode', 'codeExecutionResult', 'thoughtSignature'];

function mediaPartFromInlineData(inlineData: JsonObject, param: string): OpenAiContentPart {
  const mimeType = expectString(field(inlineData, 'mimeType'), `${param}.mimeType`).toLowerCase();
  const data = expectString(inlineData.data, `${param}.data`);
  if (mimeType.startsWith('image/')) return { type: 'image_url', image_url: { url: `data:${mimeType};base64,${data}` } };
  if (mimeType.startsWith('audio/')) {
    const subtype = mimeType.slice('audio/'.length);
    return { type: 'input_audio', input_audio: { data, format: AUDIO_FORMATS[subtype] ?? subtype } };
  }
  return { type: 'file', file: { file_data: `data:${mimeType};base64,${data}` } };
}

function functionCallPart(call: JsonObject, param: string): ClientPart {
  const args = call.args ?? {};
  if (!isRecord(args)) throw new ClientRequestError(`${param}.args must be an object`, `${param}.args`);
  return { kind: 'functionCall', name: expectString(call.name, `${param}.name`), args, id: optionalString(call.id, `${param}.id`) || undefined };
}

function functionResponsePart(response: JsonObject, param: string): ClientPart {
  return {
    kind: 'functionResponse',
    name: expectString(response.name, `${param}.name`),
    response: response.response ?? {},
    id: optionalString(response.id, `${param}.id`) || undefined,
  };
}

/** Validates one part (`param` is its path, e.g. `contents[0].parts[1]`) and says what it is. */
export function readClientPart(value: unknown, param: string): ClientPart {
  const part = expectObject(value, param);
  const text = optionalString(part.text, `${param}.text`);
  if (text !== undefined) return part.thought === true ? { kind: 'dropped' } : { kind: 'text', text };
  const inlineData = field(part, 'inlineData');
  if (inlineData !== undefined) return { kind: 'media', part: mediaPartFromInlineData(expectObject(inlineData, `${param}.inlineData`), `${param}.inlineData`) };
  const fileData = field(part, 'fileData');
  if (fileData !== undefined) {
    const fileUri = expectString(field(expectObject(fileData, `${param}.fileData`), 'fileUri'), `${param}.fileData.fileUri`);
    return { kind: 'media', part: { type: 'image_url', image_url: { url: fileUri } } };
  }
  const functionCall = field(part, 'functionCall');
  if (functionCall !== undefined) return functionCallPart(expectObject(functionCall, `${param}.functionCall`), `${param}.functionCall`);
  const functionResponse = field(part, 'functionResponse');
  if (functionResponse !== undefined) {
    return functionResponsePart(expectObject(functionResponse, `${param}.functionResponse`), `${param}.functionResponse`);
  }
  if (DROPPED_PART_FIELDS.some((name) => field(part, name) !== undefined)) return { kind: 'dropped' };
  throw new ClientRequestError(`${param} must have one of text, inlineData, fileData, functionCall or functionResponse`, param);
}
