/** Summed, not-yet-written quota movements of one row. */
export interface PendingDeltas {
  /** tokens: remain_quota; users: quota; channels: unused */
  quota: number;
  used: number;
  requests: number;
}

export type LedgerTable = 'tokens' | 'users' | 'channels';

/**
 * With BATCH_UPDATE_ENABLED, unguarded quota movements (give-backs, usage counters) are summed
 * per row in memory and written in one UPDATE per row per interval, as New API's batch updater
 * does. Guarded debits never go through here: they must see the current balance.
 */
export class LedgerBatch {
  private pending = new Map<string, { table: LedgerTable; id: number; deltas: PendingDeltas }>();

  add(table: LedgerTable, id: number, quota: number, used: number, requests = 0): void {
    if (quota === 0 && used === 0 && requests === 0) return;
    const key = `${table}:${id}`;
    const entry = this.pending.get(key);
    if (entry) {
      entry.deltas.quota += quota;
      entry.deltas.used += used;
      entry.deltas.requests += requests;
    } else {
      this.pending.set(key, { table, id, deltas: { quota, used, requests } });
    }
  }

  get size(): number {
    return this.pending.size;
  }

  /** Takes everything summed so far; a failed write should be handed back with `restore`. */
  drain(): { table: LedgerTable; id: number; deltas: PendingDeltas }[] {
    const entries = [...this.pending.values()];
    this.pending = new Map();
    return entries;
  }

  restore(entries: { table: LedgerTable; id: number; deltas: PendingDeltas }[]): void {
    for (const { table, id, deltas } of entries) this.add(table, id, deltas.quota, deltas.used, deltas.requests);
  }
}
