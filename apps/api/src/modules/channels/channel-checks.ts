import type { AuthUser } from '../../common/auth';

/**
 * Channel tests and upstream balance refreshes. Both talk to upstreams the way the relay does
 * (protocols, proxies, credentials), and the relay module depends on this one, so the relay
 * module implements these and the channels controller looks them up when a route is called.
 */

export interface ChannelTestOptions {
  /** Model to test; default: the channel's test_model, else its first model. */
  model?: string;
  /** New API endpoint_type (openai, openai-response, anthropic, gemini, embeddings, …); default: guessed from the model. */
  endpointType?: string;
  stream?: boolean;
}

/** GET /api/channel/test/:id, as New API answers it: `time` in seconds. */
export interface ChannelTestReply {
  success: boolean;
  message: string;
  time: number;
  /** Our error code of a failed test (e.g. `upstream/error`, `channel/unsupported-type`). */
  error_code?: string;
}

/** GET /api/channel/update_balance/:id: `balance` in USD, as New API answers it. */
export interface ChannelBalanceReply {
  success: boolean;
  message: string;
  balance?: number;
  balance_updated_time?: number;
}

export abstract class ChannelTests {
  /** Tests one channel now; health rules apply, a consume log is written for `caller`, nothing is charged. */
  abstract testChannel(id: number, caller: AuthUser, options: ChannelTestOptions): Promise<ChannelTestReply>;
  /** Starts testing every channel but the manually disabled ones in the background; false when a run is already going. */
  abstract startTestAll(caller: AuthUser): boolean;
}

export abstract class ChannelBalances {
  abstract updateBalance(id: number): Promise<ChannelBalanceReply>;
  /** Starts refreshing the balance of every enabled channel in the background; false when a run is already going. */
  abstract startUpdateAll(): boolean;
}
