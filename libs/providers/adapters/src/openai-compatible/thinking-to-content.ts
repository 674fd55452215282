/**
 * The channel setting "thinking to content" (New API `thinking_to_content`): clients that only
 * read `content` still see the model's reasoning, wrapped as `<think>…</think>` before the answer.
 */
const OPEN = '<think>\n';
const CLOSE = '\n</think>\n\n';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function reasoningOf(holder: Record<string, unknown>): string {
  if (typeof holder.reasoning_content === 'string') return holder.reasoning_content;
  if (typeof holder.reasoning === 'string') return holder.reasoning;
  return '';
}

/** Folds reasoning into the content of a non-stream chat completion (returns a new object). */
export function foldThinkingIntoContent(response: unknown): unknown {
  if (!isObject(response) || !Array.isArray(response.choices)) return response;
  const choices = response.choices.map((choice: unknown) => {
    if (!isObject(choice) || !isObject(choice.message)) return choice;
    const reasoning = reasoningOf(choice.message);
    if (!reasoning) return choice;
    const message: Record<string, unknown> = { ...choice.message };
    delete message.reasoning_content;
    delete message.reasoning;
    message.content = `${OPEN}${reasoning}${CLOSE}${typeof message.content === 'string' ? message.content : ''}`;
    return { ...choice, message };
  });
  return { ...response, choices };
}

/** The same for a stream, chunk by chunk: opens the tag at the first reasoning, closes it at the first answer. */
export class ThinkingToContentStream {
  private thinking = false;

  /** One OpenAI `data:` payload in, the payload to forward out (unchanged when there is nothing to fold). */
  transform(payload: string): string {
    if (payload === '[DONE]' || (!payload.includes('"reasoning') && !this.thinking)) return payload;
    let chunk: unknown;
    try {
      chunk = JSON.parse(payload);
    } catch {
      return payload;
    }
    if (!isObject(chunk) || !Array.isArray(chunk.choices) || chunk.choices.length === 0) return payload;
    const choice: unknown = chunk.choices[0];
    if (!isObject(choice) || !isObject(choice.delta)) return payload;
    const delta: Record<string, unknown> = { ...choice.delta };
    const reasoning = reasoningOf(delta);
    const content = typeof delta.content === 'string' ? delta.content : '';
    let text = '';
    if (reasoning) {
      text += this.thinking ? reasoning : `${OPEN}${reasoning}`;
      this.thinking = true;
    }
    if (this.thinking && (content || choice.finish_reason)) {
      text += CLOSE;
      this.thinking = false;
    }
    if (!reasoning && text === '') return payload;
    delete delta.reasoning_content;
    delete delta.reasoning;
    delta.content = text + content;
    return JSON.stringify({ ...chunk, choices: [{ ...choice, delta }, ...chunk.choices.slice(1)] });
  }
}
