/**
 * Dify shows a reasoning model's thoughts as a collapsible HTML block. New API turns its opening
 * and closing into `<think>`/`</think>`, which chat clients know; so does the gateway. In a stream
 * each marker arrives as one answer chunk of its own.
 */
const THINKING_OPEN = '<details style="color:gray;background-color: #f8f8f8;padding: 8px;border-radius: 4px;" open> <summary> Thinking... </summary>\n';
const THINKING_CLOSE = '</details>';

/** One streamed answer chunk with a thinking marker replaced (other chunks unchanged). */
export function replaceThinkingMarkerChunk(chunk: string): string {
  if (chunk === THINKING_OPEN) return '<think>';
  if (chunk === THINKING_CLOSE) return '</think>';
  return chunk;
}

/** A whole (blocking) answer with its thinking block, if any, marked as `<think>…</think>`. */
export function replaceThinkingMarkers(answer: string): string {
  const open = answer.indexOf(THINKING_OPEN);
  if (open < 0) return answer;
  const close = answer.indexOf(THINKING_CLOSE, open + THINKING_OPEN.length);
  if (close < 0) return answer;
  return `${answer.slice(0, open)}<think>${answer.slice(open + THINKING_OPEN.length, close)}</think>${answer.slice(close + THINKING_CLOSE.length)}`;
}
