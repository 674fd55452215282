import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.pricing.title };
}

/** Placeholder: the model marketplace (GET /api/pricing) comes later. */
export default async function PricingPage() {
  const { m } = await getMessages();
  return (
    <div className="container" style={{ paddingTop: 40 }}>
      <h1>{m.pricing.title}</h1>
      <div className="card">
        <p className="muted" style={{ margin: 0 }}>
          {m.pricing.placeholder}
        </p>
      </div>
    </div>
  );
}
