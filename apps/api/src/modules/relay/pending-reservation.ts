import type { Payer, Reservation } from '../billing/billing.service';

export interface Balances {
  token: number;
  user: number;
}

/**
 * Admission's reservation: committed already, or started by the first upstream dispatch so that its
 * commit runs while the request travels (undici writes a request on a reused connection at the end
 * of the turn; a reservation started after the dispatch commits after that write).
 */
export class PendingReservation {
  private promise: Promise<Reservation> | null;
  private onRefused: () => void = () => undefined;

  private constructor(
    private readonly begin: () => Promise<Reservation>,
    private readonly abandoned: () => void,
    committed: Reservation | null,
  ) {
    this.promise = committed ? Promise.resolve(committed) : null;
  }

  static committed(reservation: Reservation): PendingReservation {
    return new PendingReservation(() => Promise.resolve(reservation), () => undefined, reservation);
  }

  /** Started by `start()`; `abandoned` runs if the request ends without starting it. */
  static deferred(begin: () => Promise<Reservation>, abandoned: () => void = () => undefined): PendingReservation {
    return new PendingReservation(begin, abandoned, null);
  }

  /** `callback` runs if the reservation, once started, is refused (the upstream request must be cancelled). */
  whenRefused(callback: () => void): void {
    this.onRefused = callback;
  }

  /** Starts the reservation (once); resolves when it has committed. */
  start(): Promise<Reservation> {
    if (!this.promise) {
      this.promise = this.begin();
      this.promise.catch(() => this.onRefused());
    }
    return this.promise;
  }

  /**
   * The request is over without a result to bill: the reservation to give back, or null when it
   * never started (forwarding failed before anything went upstream), and then it never will.
   */
  abandon(): Promise<Reservation> | null {
    if (!this.promise) this.abandoned();
    return this.promise;
  }
}

/**
 * Quota that admitted requests of this process are about to reserve (their commits still to come),
 * per token and per wallet. Admission lets a reservation commit alongside the upstream request only
 * when the balances it read cover it on top of these, so a burst beyond a key's funding is refused
 * before it reaches the upstream rather than cancelled after; only a race with another process (or
 * a balance lowered meanwhile) is left to the guarded UPDATE, which refuses it and cancels the call.
 */
export class InFlightReservations {
  private readonly tokens = new Map<number, number>();
  private readonly users = new Map<number, number>();

  /** `balances` less what is in flight for the payer (the token's part only for a limited token). */
  available(payer: Payer, balances: Balances): Balances {
    const user = balances.user - (this.users.get(payer.userId) ?? 0);
    if (payer.tokenUnlimited || payer.tokenId === 0) return { token: balances.token, user };
    return { token: balances.token - (this.tokens.get(payer.tokenId) ?? 0), user };
  }

  /** A reservation that starts later: counted as in flight from now until it commits, fails or is abandoned. */
  defer(payer: Payer, amount: number, reserve: () => Promise<Reservation>): PendingReservation {
    this.add(payer, amount);
    const release = () => this.add(payer, -amount);
    return PendingReservation.deferred(() => {
      const reservation = reserve();
      reservation.then(release, release);
      return reservation;
    }, release);
  }

  /** What is in flight for a payer (tests, diagnostics). */
  pending(payer: Payer): Balances {
    return { token: this.tokens.get(payer.tokenId) ?? 0, user: this.users.get(payer.userId) ?? 0 };
  }

  private add(payer: Payer, amount: number): void {
    bump(this.users, payer.userId, amount);
    if (!payer.tokenUnlimited && payer.tokenId !== 0) bump(this.tokens, payer.tokenId, amount);
  }
}

/** Whether balances pay `amount`: a limited token and the wallet both; an unlimited token (or none) only the wallet. */
export function covers(payer: Payer, balances: Balances, amount: number): boolean {
  return balances.user >= amount && (payer.tokenUnlimited || payer.tokenId === 0 || balances.token >= amount);
}

function bump(map: Map<number, number>, id: number, delta: number): void {
  const next = (map.get(id) ?? 0) + delta;
  if (next === 0) map.delete(id);
  else map.set(id, next);
}
