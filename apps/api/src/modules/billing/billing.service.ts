import { Injectable } from '@nestjs/common';
import {
  DEFAULT_AUDIO_COMPLETION_RATIO,
  DEFAULT_AUDIO_RATIO,
  DEFAULT_GROUP_GROUP_RATIO,
  DEFAULT_IMAGE_RATIO,
  RatioMap,
  RatioTables,
  resolvePricing,
  ResolvedPricing,
} from '@your-api/billing-math';
import { ApiError } from '../../common/api-error';
import { OptionsService } from '../options/options.service';
import { QuotaLedgerRepository } from './quota-ledger.repository';

const PRICE_CACHE_ENTRIES = 10_000;

/** Who pays for a request: a token (limited or not) and its owner's wallet. */
export interface Payer {
  /** 0 for a request without a token (the playground): only the wallet is reserved and debited. */
  tokenId: number;
  /** Unlimited tokens are not debited up front; only their used quota is counted. */
  tokenUnlimited: boolean;
  userId: number;
}

/** What admission took for a request; settled or refunded exactly once. */
export interface Reservation {
  readonly payer: Payer;
  readonly amount: number;
  settled: boolean;
}

/**
 * Pricing and the quota lifecycle of a relay request: reserve → settle (by delta) → or refund.
 * A limited token is reserved its request's worst case up front, so it can never be overdrawn.
 */
@Injectable()
export class BillingService {
  /** Resolved prices by model, group and user group; emptied whenever any option changes. */
  private readonly prices = new Map<string, ResolvedPricing>();

  constructor(
    private readonly ledger: QuotaLedgerRepository,
    private readonly options: OptionsService,
  ) {
    options.onChange(() => this.prices.clear());
  }

  /** The ratio options as billing-math wants them (parsed once per option change by OptionsService). */
  ratioTables(): RatioTables {
    const map = (key: string, fallback: RatioMap = {}): RatioMap => this.options.getJson<RatioMap | null>(key) ?? fallback;
    return {
      modelRatio: map('ModelRatio'),
      modelPrice: map('ModelPrice'),
      completionRatio: map('CompletionRatio'),
      cacheRatio: map('CacheRatio'),
      createCacheRatio: map('CreateCacheRatio'),
      imageRatio: map('ImageRatio', DEFAULT_IMAGE_RATIO),
      audioRatio: map('AudioRatio', DEFAULT_AUDIO_RATIO),
      audioCompletionRatio: map('AudioCompletionRatio', DEFAULT_AUDIO_COMPLETION_RATIO),
      groupRatio: map('GroupRatio'),
      groupGroupRatio: this.options.getJson<Record<string, RatioMap> | null>('GroupGroupRatio') ?? DEFAULT_GROUP_GROUP_RATIO,
    };
  }

  /** The price of `model` for a caller; resolved once per option change (decimal maths on ~10 tables). */
  price(model: string, group: string, userGroup: string): ResolvedPricing {
    const key = `${model}\u0000${group}\u0000${userGroup}`;
    let pricing = this.prices.get(key);
    if (!pricing) {
      pricing = Object.freeze(
        resolvePricing(this.ratioTables(), model, {
          group,
          userGroup,
          selfUseMode: this.options.getBool('SelfUseModeEnabled'),
        }),
      );
      if (this.prices.size >= PRICE_CACHE_ENTRIES) this.prices.clear();
      this.prices.set(key, pricing);
    }
    return pricing;
  }

  get quotaPerUnit(): number {
    return this.options.getNumber('QuotaPerUnit');
  }

  /** Remaining and used quota of the token and the wallet (legacy /dashboard/billing routes). */
  snapshot(payer: Payer) {
    return this.ledger.snapshot(payer.tokenId, payer.userId);
  }

  private async isTrusted(payer: Payer): Promise<boolean> {
    const { user } = await this.ledger.balances(payer.tokenId, payer.userId);
    return user > 10 * this.quotaPerUnit;
  }

  /** Current remaining quota of the token and the wallet. */
  balances(payer: Payer): Promise<{ token: number; user: number }> {
    return this.ledger.balances(payer.tokenId, payer.userId);
  }

  /**
   * Takes `amount` up front: from a limited token (guarded) and from the wallet (guarded); one
   * transaction on SQLite, elsewhere a refused wallet gives the token's part back. Refuses with 403
   * when either cannot pay, leaving both untouched.
   */
  async reserve(payer: Payer, amount: number): Promise<Reservation> {
    const reservation: Reservation = { payer, amount, settled: false };
    if (amount <= 0) return reservation;
    const outcome = await this.ledger.reserve(payer, amount);
    if (outcome === 'token-short') {
      throw ApiError.forbidden(
        'billing/insufficient-token-quota',
        'This API key does not have enough quota left for this request; raise its quota or lower max_tokens',
      );
    }
    if (outcome === 'user-short') {
      if (payer.tokenUnlimited && (await this.isTrusted(payer))) {
        // New API's trust bypass: a wallet above TrustQuota (10 × QuotaPerUnit) behind an unlimited
        // key is not refused over a large up-front estimate; the settlement charges what was used.
        return { payer, amount: 0, settled: false };
      }
      throw ApiError.forbidden('billing/insufficient-user-quota', 'Your account does not have enough quota left; top up to continue');
    }
    return reservation;
  }

  /**
   * Settles a request at `actual` quota and counts its usage. Returns the quota actually charged:
   * equal to `actual`, except that a limited token is never taken below zero — a cost above the
   * reservation that the token cannot cover is not charged, and the log shows what was.
   */
  async settle(reservation: Reservation, actual: number, channelId: number): Promise<number> {
    if (reservation.settled) throw new Error('reservation settled twice');
    reservation.settled = true;
    return this.ledger.settle(reservation.payer, reservation.amount, actual, channelId);
  }

  /** Returns everything reserved (the request failed). Idempotent. */
  async refund(reservation: Reservation): Promise<void> {
    if (reservation.settled) return;
    reservation.settled = true;
    await this.ledger.refund(reservation.payer, reservation.amount);
  }
}
