'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { QuotaType, type PricingModelView, type PricingResponse } from '@your-api/contracts';
import { CopyButton } from '@/components/ui/CopyButton';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { formatUsd, modelDetailPath, modelPrice } from '@/lib/pricing';
import { useApi } from '@/lib/use-api';

type Extra = Pick<PricingResponse, 'group_ratio' | 'usable_group'>;

export function PricingTable() {
  const { m } = useI18n();
  const pricing = useApi<PricingModelView[], Extra>('/api/pricing');
  // `?q=` (the home page's vendor links) starts the search.
  const [query, setQuery] = useState(useSearchParams().get('q') ?? '');
  const [group, setGroup] = useState('');

  const groupRatios = pricing.result?.group_ratio ?? {};
  const groups = useMemo(() => {
    const all = new Set<string>();
    for (const model of pricing.data ?? []) for (const g of model.enable_groups) all.add(g);
    return [...all].sort();
  }, [pricing.data]);
  const ratio = group ? (groupRatios[group] ?? 1) : 1;
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (pricing.data ?? []).filter(
      (model) => (!q || model.model_name.toLowerCase().includes(q) || model.owner_by.toLowerCase().includes(q)) && (!group || model.enable_groups.includes(group)),
    );
  }, [pricing.data, query, group]);

  if (pricing.result?.status === 401) return <p className="alert">{m.pricing.loginRequired}</p>;
  return (
    <div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="pricing-search">{m.pricing.search}</label>
          <input id="pricing-search" className="input" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pricing-group">{m.pricing.group}</label>
          <select id="pricing-group" className="input" value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="">{m.pricing.allGroups}</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
                {pricing.result?.usable_group?.[g] ? ` — ${pricing.result.usable_group[g]}` : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      {pricing.error ? <p className="alert">{m.pricing.unavailable}</p> : null}
      <p className="muted" style={{ margin: '0 0 8px' }}>
        {format(m.pricing.count, { count: rows.length })}
        {group ? ` · ${format(m.pricing.ratioNote, { group, ratio })}` : ''}
      </p>
      <div className="table-wrap">
        <table className="table" data-testid="pricing-table">
          <thead>
            <tr>
              <th>{m.pricing.model}</th>
              <th>{m.pricing.owner}</th>
              <th>{m.pricing.billing}</th>
              <th className="num">{m.pricing.input}</th>
              <th className="num">{m.pricing.output}</th>
              <th>{m.pricing.groups}</th>
              <th>{m.pricing.endpoints}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  {pricing.loading ? m.common.loading : m.pricing.empty}
                </td>
              </tr>
            ) : null}
            {rows.map((model) => {
              const price = modelPrice(model, ratio);
              return (
                <tr key={model.model_name} data-testid="pricing-row" data-model={model.model_name}>
                  <td>
                    <div className="row-actions" style={{ alignItems: 'center' }}>
                      <Link href={modelDetailPath(model.model_name)} data-testid="pricing-detail-link">
                        <code className="mono">{model.model_name}</code>
                      </Link>
                      <CopyButton text={model.model_name} className="btn btn-sm" />
                    </div>
                  </td>
                  <td>{model.owner_by || '—'}</td>
                  <td>
                    <span className={model.quota_type === QuotaType.PerCall ? 'badge badge-warn' : 'badge'}>
                      {model.quota_type === QuotaType.PerCall ? m.pricing.perCall : m.pricing.perToken}
                    </span>
                  </td>
                  {price.perCall ? (
                    <td className="num" colSpan={2} data-testid="price-call">
                      {format(m.pricing.callPrice, { price: formatUsd(price.call) })}
                    </td>
                  ) : (
                    <>
                      <td className="num" data-testid="price-input">
                        {formatUsd(price.input)}
                      </td>
                      <td className="num" data-testid="price-output">
                        {formatUsd(price.output)}
                      </td>
                    </>
                  )}
                  <td className="wrap">
                    {model.enable_groups.map((g) => (
                      <span key={g} className="badge" style={{ marginRight: 4 }}>
                        {g}
                      </span>
                    ))}
                  </td>
                  <td className="wrap">{model.supported_endpoint_types.join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
