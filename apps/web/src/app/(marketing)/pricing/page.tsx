import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { PricingTable } from './PricingTable';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.pricing.title };
}

/** The model marketplace: GET /api/pricing, read in the browser so search and filters are instant. */
export default async function PricingPage() {
  const { m } = await getMessages();
  return (
    <div className="container" style={{ paddingTop: 32, paddingBottom: 48 }}>
      <h1 style={{ marginBottom: 4 }}>{m.pricing.title}</h1>
      <p className="muted" style={{ marginTop: 0 }}>
        {m.pricing.subtitle}
      </p>
      <PricingTable />
    </div>
  );
}
