/** Runs once per server start, before the first request is served. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { installForwardedForFix } = await import('./lib/proxy/forwarded-for');
    installForwardedForFix();
  }
}
