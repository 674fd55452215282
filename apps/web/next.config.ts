import path from 'node:path';
import type { NextConfig } from 'next';

/** The monorepo root: workspace libs (libs/*) live outside apps/web. */
const repoRoot = path.join(__dirname, '..', '..');

/**
 * Set NEXT_OUTPUT=standalone at build time (the Docker image does) to get
 * `.next/standalone/apps/web/server.js`, a self-contained server with a
 * minimal node_modules. Without it, `next start` is the way to run the app.
 *
 * The API base URL is NOT configured here: rewrites in this file are baked
 * in at build time. The proxying to API_BASE_URL happens at request time in
 * the route handlers under app/{api,v1,v1beta,mj,suno,dashboard,pg}.
 */
const nextConfig: NextConfig = {
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  reactStrictMode: true,
  poweredByHeader: false,
  // New API has routes with a meaningful trailing slash (`/api/channel/`,
  // `/api/option/`); don't let Next redirect them away.
  skipTrailingSlashRedirect: true,
  // Don't write AGENTS.md/CLAUDE.md into the app during `next dev`.
  agentRules: false,
};

export default nextConfig;
