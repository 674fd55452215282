import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';

/** What the primary process of `CLUSTER_WORKERS` > 1 needs to know; read from AppConfig by main.ts. */
export interface ClusterPlan {
  workers: number;
  /** NODE_TYPE of the first worker (migrations, root user, background jobs); the others are slaves. */
  firstNodeType: string;
  /** Shared by every worker so a session cookie signed by one is accepted by all; random when unset. */
  sessionSecret: string;
}

/** The IPC message a worker sends when cached data changed; the primary passes it to the others. */
export const CACHE_IPC_TOPIC = 'your-api:cache-invalidation';

export interface CacheIpcMessage {
  topic: typeof CACHE_IPC_TOPIC;
  text: string;
}

export function isCacheIpcMessage(message: unknown): message is CacheIpcMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as CacheIpcMessage).topic === CACHE_IPC_TOPIC &&
    typeof (message as CacheIpcMessage).text === 'string'
  );
}

const RESTART_DELAY_MS = 1_000;
const STOP_GRACE_MS = 30_000;

/**
 * Runs the primary of cluster mode: one worker per core sharing the port (node:cluster hands
 * connections out round-robin). The first worker starts alone — it runs the migrations and creates
 * root — and the others start once it listens, as slaves. The primary serves nothing itself: it
 * relays cache invalidations between workers (when Redis is not there to carry them), restarts a
 * worker that dies, and on SIGTERM/SIGINT stops every worker gracefully (each flushes its
 * ledger, logs and rollups) before exiting.
 */
export function runClusterPrimary(plan: ClusterPlan, log: (line: string) => void = (line) => process.stdout.write(`[cluster] ${line}\n`)): void {
  const sessionSecret = plan.sessionSecret || randomBytes(32).toString('hex');
  const indexOf = new Map<Worker, number>();
  let stopping = false;
  let firstListening = false;
  const listening = new Set<Worker>();
  let allAnnounced = false;
  let exitCode = 0;

  const fork = (index: number): void => {
    const worker = cluster.fork({
      NODE_TYPE: index === 0 ? plan.firstNodeType : 'slave',
      SESSION_SECRET: sessionSecret,
    });
    indexOf.set(worker, index);
    worker.once('listening', () => {
      if (index === 0 && !firstListening) {
        firstListening = true;
        for (let i = 1; i < plan.workers; i++) fork(i);
      }
      listening.add(worker);
      if (listening.size === plan.workers && !allAnnounced) {
        allAnnounced = true;
        log(`all ${plan.workers} workers listening (primary pid ${process.pid})`);
      }
    });
  };

  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (indexOf.size === 0) process.exit(exitCode);
    for (const worker of indexOf.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of indexOf.keys()) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };

  cluster.on('message', (sender: Worker, message: unknown) => {
    if (!isCacheIpcMessage(message)) return;
    for (const worker of indexOf.keys()) if (worker !== sender && worker.isConnected()) worker.send(message);
  });

  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    const index = indexOf.get(worker) ?? -1;
    indexOf.delete(worker);
    listening.delete(worker);
    if (stopping) {
      if (indexOf.size === 0) process.exit(exitCode);
      return;
    }
    if (index === 0 && !firstListening) {
      log(`the first worker exited during start-up (${signal ?? `code ${code}`}); stopping`);
      stopAll(code || 1);
      return;
    }
    log(`worker ${index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting a new one`);
    setTimeout(() => {
      if (!stopping) fork(index);
    }, RESTART_DELAY_MS);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stopAll(0));
  fork(0);
}
