'use client';

import Link from 'next/link';
import { QuotaType, type PricingModelView, type PricingResponse } from '@your-api/contracts';
import { CopyButton } from '@/components/ui/CopyButton';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { exampleRequest, formatUsd, modelPrice } from '@/lib/pricing';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import { useOrigin } from '@/lib/use-browser';

type Extra = Pick<PricingResponse, 'group_ratio' | 'usable_group'> & { vendors?: Array<{ id: number; name: string }> };

/** Fields New API's latest /api/pricing adds (read when an API sends them). */
type DetailedModel = PricingModelView & { description?: string; vendor_id?: number; cache_ratio?: number };

/** One model of GET /api/pricing: description, vendor, endpoint types, its price in every group, a request to copy. */
export function ModelDetail({ modelName }: { modelName: string }) {
  const { m } = useI18n();
  const status = useSiteStatus();
  const origin = useOrigin();
  const pricing = useApi<DetailedModel[], Extra>('/api/pricing');
  const model = pricing.data?.find((row) => row.model_name === modelName);
  const groupRatios = pricing.result?.group_ratio ?? {};
  const baseUrl = (typeof status?.['server_address'] === 'string' && status['server_address'].trim()) || origin;

  if (pricing.result?.status === 401) return <p className="alert">{m.pricing.loginRequired}</p>;
  if (pricing.loading && !pricing.data) return <p className="muted">{m.common.loading}</p>;
  if (pricing.error && !pricing.data) return <p className="alert">{m.pricing.unavailable}</p>;
  if (!model) {
    return (
      <p className="alert" data-testid="model-not-found">
        {format(m.pricingDetail.notFound, { model: modelName })} <Link href="/pricing">{m.pricingDetail.back}</Link>
      </p>
    );
  }

  const vendor = pricing.result?.vendors?.find((v) => v.id === model.vendor_id)?.name || model.owner_by || '—';
  const perCall = model.quota_type === QuotaType.PerCall;
  const example = exampleRequest(baseUrl, model.model_name, model.supported_endpoint_types);

  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 16 }} data-testid="model-detail">
      <div className="card">
        <dl style={{ display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', gap: '8px 16px', margin: 0, overflowWrap: 'anywhere' }}>
          <dt className="muted">{m.pricingDetail.vendor}</dt>
          <dd style={{ margin: 0 }} data-testid="model-vendor">
            {vendor}
          </dd>
          <dt className="muted">{m.pricingDetail.billing}</dt>
          <dd style={{ margin: 0 }}>
            <span className={perCall ? 'badge badge-warn' : 'badge'}>{perCall ? m.pricingDetail.perRequest : m.pricingDetail.perToken}</span>
          </dd>
          <dt className="muted">{m.pricingDetail.endpoints}</dt>
          <dd style={{ margin: 0 }} data-testid="model-endpoints">
            {model.supported_endpoint_types.join(', ') || '—'}
          </dd>
          {model.description ? (
            <>
              <dt className="muted">{m.pricingDetail.description}</dt>
              <dd style={{ margin: 0 }} data-testid="model-description">
                {model.description}
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      <div className="card">
        <h2 style={{ margin: '0 0 8px', fontSize: '1.1rem' }}>{m.pricingDetail.groups}</h2>
        {model.enable_groups.length === 0 ? (
          <p className="muted">{m.pricingDetail.noGroups}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="group-prices">
              <thead>
                <tr>
                  <th>{m.pricingDetail.group}</th>
                  <th className="num">{m.pricingDetail.ratio}</th>
                  {perCall ? (
                    <th className="num">{m.pricingDetail.perCall}</th>
                  ) : (
                    <>
                      <th className="num">{m.pricingDetail.input}</th>
                      <th className="num">{m.pricingDetail.output}</th>
                      {model.cache_ratio !== undefined ? <th className="num">{m.pricingDetail.cached}</th> : null}
                    </>
                  )}
                </tr>
              </thead>
              <tbody>
                {model.enable_groups.map((group) => {
                  const ratio = groupRatios[group] ?? 1;
                  const price = modelPrice(model, ratio);
                  return (
                    <tr key={group} data-testid="group-price" data-group={group}>
                      <td>
                        {group}
                        {pricing.result?.usable_group?.[group] ? <span className="muted"> — {pricing.result.usable_group[group]}</span> : null}
                      </td>
                      <td className="num">×{ratio}</td>
                      {price.perCall ? (
                        <td className="num" data-testid="price-call">
                          {formatUsd(price.call)}
                        </td>
                      ) : (
                        <>
                          <td className="num" data-testid="price-input">
                            {formatUsd(price.input)}
                          </td>
                          <td className="num" data-testid="price-output">
                            {formatUsd(price.output)}
                          </td>
                          {model.cache_ratio !== undefined ? <td className="num">{formatUsd(price.input * model.cache_ratio)}</td> : null}
                        </>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div className="card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
          <h2 style={{ margin: 0, fontSize: '1.1rem' }}>{m.pricingDetail.example}</h2>
          <CopyButton text={example} testId="copy-example" />
        </div>
        <p className="hint">{m.pricingDetail.exampleHint}</p>
        <pre className="mono" style={{ overflowX: 'auto', margin: 0, padding: 12, background: 'var(--surface-2, rgba(127,127,127,.08))', borderRadius: 8 }} data-testid="model-example">
          {example}
        </pre>
      </div>
    </div>
  );
}
