import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ApiError } from '../../../common/api-error';
import { AppConfig } from '../../../config/app-config';
import { OptionsService } from '../../options/options.service';
import { FetchedImage, ImageFetcher, ImageFetchError, ImageFetchSettings, readImageFetchSettings } from './image-fetcher';

/**
 * Downloads image URLs of relayed requests for upstreams that need inline data (Gemini), or for
 * every upstream with InlineImageUrlsEnabled. Limits: MAX_FILE_DOWNLOAD_MB and
 * USER_CONTENT_REQUEST_TIMEOUT; rules: the options fetch_setting.*; optional image proxy:
 * WorkerUrl / WorkerValidKey / WorkerAllowHttpImageRequestEnabled. The work is done by the
 * framework-free ImageFetcher; this class reads the settings and turns failures into 400s.
 */
@Injectable()
export class MediaFetcher implements OnModuleDestroy {
  private readonly fetcher: ImageFetcher;

  constructor(
    private readonly config: AppConfig,
    private readonly options: OptionsService,
  ) {
    this.fetcher = new ImageFetcher(() => this.settings());
  }

  onModuleDestroy(): Promise<void> {
    return this.fetcher.close();
  }

  /**
   * A copy of an OpenAI chat body whose http(s) `image_url` parts are `data:` URLs (the input is
   * not modified). Throws ApiError 400 `request/image-download-failed` when any image fails.
   */
  inlineImages(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return asApiError(this.fetcher.inlineImages(body));
  }

  /** One image (e.g. for a Claude or Gemini request carrying a URL); same errors as inlineImages. */
  fetchImage(url: string, signal?: AbortSignal): Promise<FetchedImage> {
    return asApiError(this.fetcher.fetchImage(url, signal));
  }

  /** Whether image URLs go inline for every upstream (option InlineImageUrlsEnabled). */
  inlineForEveryUpstream(): boolean {
    return this.options.getBool('InlineImageUrlsEnabled');
  }

  private settings(): ImageFetchSettings {
    return readImageFetchSettings(this.config.env, this.options);
  }
}

async function asApiError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ImageFetchError) throw ApiError.badRequest('request/image-download-failed', error.message);
    throw error;
  }
}
