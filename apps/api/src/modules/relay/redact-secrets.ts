/** Masks anything shaped like an API key in upstream text before it reaches a client or a log. */
export function redactSecrets(text: string): string {
  return text.replace(/\b(sk|pk|rk|ak|key)[-_][A-Za-z0-9_*\-.]{6,}/gi, '[redacted]');
}
