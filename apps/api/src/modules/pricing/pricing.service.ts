import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChannelStatus, type PricingResponse } from '@your-api/contracts';
import { AppConfig } from '../../config/app-config';
import { BillingService } from '../billing/billing.service';
import { ChannelsService } from '../channels/channels.service';
import { OptionsService } from '../options/options.service';
import { buildPricing, ModelOffer, pricingRequiresLogin } from './pricing-rules';

/**
 * GET /api/pricing: every model some enabled channel serves, with the groups offering it and its
 * price from the ratio options. The offers (a database read) are kept until a channel changes on
 * this node or SYNC_FREQUENCY passes (changes made on other nodes); prices are read fresh each time.
 */
@Injectable()
export class PricingService implements OnModuleInit {
  private offers: { at: number; rows: Promise<ModelOffer[]> } | null = null;

  constructor(
    private readonly channels: ChannelsService,
    private readonly billing: BillingService,
    private readonly options: OptionsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.channels.onChange(() => {
      this.offers = null;
    });
  }

  requiresLogin(): boolean {
    return pricingRequiresLogin(this.options.get('HeaderNavModules'));
  }

  async pricing(): Promise<PricingResponse> {
    const offers = await this.currentOffers();
    return {
      success: true,
      message: '',
      data: buildPricing(offers, this.billing.ratioTables(), this.options.getBool('SelfUseModeEnabled')),
      group_ratio: this.options.getJson<Record<string, number> | null>('GroupRatio') ?? {},
      usable_group: this.options.getJson<Record<string, string> | null>('UserUsableGroups') ?? {},
    };
  }

  private currentOffers(): Promise<ModelOffer[]> {
    const maxAgeMs = this.config.env.SYNC_FREQUENCY * 1000;
    if (!this.offers || Date.now() - this.offers.at > maxAgeMs) {
      const rows = this.readOffers();
      this.offers = { at: Date.now(), rows };
      // A failed read is not kept: the next call tries again.
      rows.catch(() => {
        if (this.offers?.rows === rows) this.offers = null;
      });
    }
    return this.offers.rows;
  }

  private async readOffers(): Promise<ModelOffer[]> {
    const abilities = await this.channels.listEnabledAbilities();
    const channels = await this.channels.findChannels([...new Set(abilities.map((a) => a.channel_id))]);
    const typeOf = new Map(channels.filter((c) => c.status === ChannelStatus.Enabled).map((c) => [c.id, c.type]));
    return abilities.flatMap((a) => {
      const channelType = typeOf.get(a.channel_id);
      return channelType === undefined ? [] : [{ model: a.model, group: a.group, channelType }];
    });
  }
}
