export type { EncodingName, LoadedEncoding } from './encoding';
export {
  LONG_PIECE_CHARS,
  encodingForModel,
  getEncoding,
  encoderForModel,
  countEncodedTokens,
  countTextTokens,
} from './encoding';
export * from './image';
export * from './chat';
export * from './stream';
