import { LedgerPayer, LedgerProgram, LedgerStep, refundProgram, reserveProgram, settleProgram } from './ledger-program';

/** Runs a program against in-memory rows, applying guarded takes only when the balance allows. */
function run<T>(program: LedgerProgram<T>, rows: { tokens: Map<number, number>; users: Map<number, number> }) {
  const steps: LedgerStep[] = [];
  let next = program.next();
  while (!next.done) {
    const step = next.value;
    steps.push(step);
    let applied = true;
    if (step.kind === 'take') {
      const balance = rows[step.table].get(step.id) ?? 0;
      applied = balance >= step.amount;
      if (applied) rows[step.table].set(step.id, balance - step.amount);
    } else if (step.table !== 'channels') {
      rows[step.table].set(step.id, (rows[step.table].get(step.id) ?? 0) + step.deltas.quota);
    }
    next = program.next(applied);
  }
  return { value: next.value, steps };
}

const limited: LedgerPayer = { tokenId: 1, tokenUnlimited: false, userId: 7 };
const unlimited: LedgerPayer = { tokenId: 2, tokenUnlimited: true, userId: 7 };
const rowsWith = (token: number, user: number) => ({ tokens: new Map([[1, token], [2, 0]]), users: new Map([[7, user]]) });

describe('reserveProgram', () => {
  it('takes from a limited token and the wallet', () => {
    const rows = rowsWith(100, 1000);
    expect(run(reserveProgram(limited, 60), rows).value).toBe('reserved');
    expect(rows.tokens.get(1)).toBe(40);
    expect(rows.users.get(7)).toBe(940);
  });

  it('refuses when the token is short, touching nothing', () => {
    const rows = rowsWith(50, 1000);
    const { value, steps } = run(reserveProgram(limited, 60), rows);
    expect(value).toBe('token-short');
    expect(steps).toHaveLength(1);
    expect(rows.tokens.get(1)).toBe(50);
    expect(rows.users.get(7)).toBe(1000);
  });

  it('gives the token its part back when the wallet is short', () => {
    const rows = rowsWith(100, 30);
    expect(run(reserveProgram(limited, 60), rows).value).toBe('user-short');
    expect(rows.tokens.get(1)).toBe(100);
    expect(rows.users.get(7)).toBe(30);
  });

  it('takes only from the wallet behind an unlimited token, and nothing for a free request', () => {
    const rows = rowsWith(100, 1000);
    expect(run(reserveProgram(unlimited, 60), rows).value).toBe('reserved');
    expect(rows.users.get(7)).toBe(940);
    expect(run(reserveProgram(limited, 0), rows).steps).toHaveLength(0);
  });
});

describe('settleProgram', () => {
  it('gives back the unused part of the reservation and counts the request', () => {
    const rows = rowsWith(40, 940);
    const { value, steps } = run(settleProgram(limited, 60, 25.7, 3, false), rows);
    expect(value).toBe(25);
    expect(rows.tokens.get(1)).toBe(75);
    expect(steps).toContainEqual({ kind: 'move', table: 'users', id: 7, deltas: { quota: 35, used: 25, requests: 1 } });
    expect(steps).toContainEqual({ kind: 'count', table: 'channels', id: 3, deltas: { quota: 0, used: 25, requests: 0 } });
  });

  it('takes a cost above the reservation from the token only if it has it', () => {
    const enough = rowsWith(40, 940);
    expect(run(settleProgram(limited, 60, 90, 3, false), enough).value).toBe(90);
    expect(enough.tokens.get(1)).toBe(10);
    const short = rowsWith(10, 940);
    expect(run(settleProgram(limited, 60, 90, 3, false), short).value).toBe(60);
    expect(short.tokens.get(1)).toBe(10);
  });

  it('with batched counters writes the wallet give-back at once and yields the usage as counts', () => {
    const { steps } = run(settleProgram(unlimited, 60, 20, 3, true), rowsWith(0, 940));
    expect(steps).toEqual([
      { kind: 'count', table: 'tokens', id: 2, deltas: { quota: -20, used: 20, requests: 0 } },
      { kind: 'move', table: 'users', id: 7, deltas: { quota: 40, used: 0, requests: 0 } },
      { kind: 'count', table: 'users', id: 7, deltas: { quota: 0, used: 20, requests: 1 } },
      { kind: 'count', table: 'channels', id: 3, deltas: { quota: 0, used: 20, requests: 0 } },
    ]);
  });
});

describe('refundProgram', () => {
  it('returns the whole reservation to the token and the wallet', () => {
    const rows = rowsWith(40, 940);
    run(refundProgram(limited, 60), rows);
    expect(rows.tokens.get(1)).toBe(100);
    expect(rows.users.get(7)).toBe(1000);
  });
});

describe('a payer without a token (the playground)', () => {
  const walletOnly: LedgerPayer = { tokenId: 0, tokenUnlimited: false, userId: 7 };

  it('reserves, settles and refunds on the wallet alone, never naming a token row', () => {
    const rows = rowsWith(100, 1000);
    const reserve = run(reserveProgram(walletOnly, 60), rows);
    expect(reserve.value).toBe('reserved');
    expect(rows.users.get(7)).toBe(940);
    const settle = run(settleProgram(walletOnly, 60, 90, 3, false), rows);
    expect(settle.value).toBe(90);
    expect(rows.users.get(7)).toBe(910);
    const refund = run(refundProgram(walletOnly, 60), rowsWith(100, 940));
    const batched = run(settleProgram({ ...walletOnly, tokenUnlimited: true }, 60, 20, 3, true), rowsWith(0, 940));
    for (const { steps } of [reserve, settle, refund, batched]) {
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.filter((step) => step.table === 'tokens')).toEqual([]);
    }
    expect(rows.tokens.get(1)).toBe(100);
  });

  it('is refused only by the wallet', () => {
    expect(run(reserveProgram(walletOnly, 60), rowsWith(0, 30)).value).toBe('user-short');
  });
});
