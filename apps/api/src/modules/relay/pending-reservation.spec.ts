import type { Payer, Reservation } from '../billing/billing.service';
import { covers, InFlightReservations, PendingReservation } from './pending-reservation';

const limited: Payer = { tokenId: 7, tokenUnlimited: false, userId: 3 };
const unlimited: Payer = { tokenId: 8, tokenUnlimited: true, userId: 3 };
const reservation = (payer: Payer, amount: number): Reservation => ({ payer, amount, settled: false });

describe('PendingReservation', () => {
  it('starts a deferred reservation once, on first use', async () => {
    const begin = jest.fn(() => Promise.resolve(reservation(limited, 5)));
    const pending = PendingReservation.deferred(begin);
    expect(begin).not.toHaveBeenCalled();
    const first = pending.start();
    expect(pending.start()).toBe(first);
    await expect(first).resolves.toMatchObject({ amount: 5 });
    expect(begin).toHaveBeenCalledTimes(1);
    await expect(pending.abandon()).resolves.toMatchObject({ amount: 5 });
  });

  it('tells whoever waits on it when a started reservation is refused', async () => {
    const refused = jest.fn();
    const pending = PendingReservation.deferred(() => Promise.reject(new Error('short')));
    pending.whenRefused(refused);
    await expect(pending.start()).rejects.toThrow('short');
    expect(refused).toHaveBeenCalledTimes(1);
  });

  it('abandons one that never started: nothing to give back, and the abandon hook runs', () => {
    const abandoned = jest.fn();
    const begin = jest.fn(() => Promise.resolve(reservation(limited, 5)));
    const pending = PendingReservation.deferred(begin, abandoned);
    expect(pending.abandon()).toBeNull();
    expect(abandoned).toHaveBeenCalledTimes(1);
    expect(begin).not.toHaveBeenCalled();
  });

  it('holds a committed reservation as started', async () => {
    const pending = PendingReservation.committed(reservation(limited, 9));
    await expect(pending.abandon()).resolves.toMatchObject({ amount: 9 });
  });
});

describe('InFlightReservations', () => {
  it('takes what is in flight off the balances until the reservation commits', async () => {
    const inFlight = new InFlightReservations();
    let commit!: (r: Reservation) => void;
    const pending = inFlight.defer(limited, 40, () => new Promise<Reservation>((resolve) => (commit = resolve)));
    expect(inFlight.available(limited, { token: 100, user: 1000 })).toEqual({ token: 60, user: 960 });
    // An unlimited key of the same wallet sees the wallet's part only.
    expect(inFlight.available(unlimited, { token: 0, user: 1000 })).toEqual({ token: 0, user: 960 });
    const started = pending.start();
    expect(inFlight.pending(limited)).toEqual({ token: 40, user: 40 });
    commit(reservation(limited, 40));
    await started;
    await Promise.resolve();
    expect(inFlight.pending(limited)).toEqual({ token: 0, user: 0 });
  });

  it('releases a refused reservation and an abandoned one', async () => {
    const inFlight = new InFlightReservations();
    const refused = inFlight.defer(limited, 10, () => Promise.reject(new Error('short')));
    const abandoned = inFlight.defer(limited, 5, () => Promise.resolve(reservation(limited, 5)));
    expect(inFlight.pending(limited)).toEqual({ token: 15, user: 15 });
    await expect(refused.start()).rejects.toThrow('short');
    await Promise.resolve();
    expect(inFlight.pending(limited)).toEqual({ token: 5, user: 5 });
    expect(abandoned.abandon()).toBeNull();
    expect(inFlight.pending(limited)).toEqual({ token: 0, user: 0 });
  });

  it('counts an unlimited key against the wallet only', () => {
    const inFlight = new InFlightReservations();
    inFlight.defer(unlimited, 30, () => Promise.resolve(reservation(unlimited, 30)));
    expect(inFlight.pending(unlimited)).toEqual({ token: 0, user: 30 });
  });
});

describe('covers', () => {
  it('needs both a limited key and the wallet to pay, only the wallet behind an unlimited key', () => {
    expect(covers(limited, { token: 50, user: 100 }, 50)).toBe(true);
    expect(covers(limited, { token: 49, user: 100 }, 50)).toBe(false);
    expect(covers(limited, { token: 100, user: 49 }, 50)).toBe(false);
    expect(covers(unlimited, { token: 0, user: 50 }, 50)).toBe(true);
    expect(covers(unlimited, { token: 0, user: 49 }, 50)).toBe(false);
  });
});
