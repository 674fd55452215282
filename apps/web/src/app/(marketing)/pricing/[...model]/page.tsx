import type { Metadata } from 'next';
import Link from 'next/link';
import { getMessages } from '@/lib/i18n/server';
import { modelNameFromSegments } from '@/lib/pricing';
import { ModelDetail } from './ModelDetail';

type Params = { params: Promise<{ model: string[] }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: `${modelNameFromSegments((await params).model)} · ${m.pricing.title}` };
}

/** `/pricing/<model>` (names with `/` take several segments): one model of the marketplace. */
export default async function ModelPricingPage({ params }: Params) {
  const { m } = await getMessages();
  const modelName = modelNameFromSegments((await params).model);
  return (
    <div className="container" style={{ paddingTop: 32, paddingBottom: 48 }}>
      <p style={{ margin: '0 0 8px' }}>
        <Link href="/pricing">← {m.pricingDetail.back}</Link>
      </p>
      <h1 style={{ marginBottom: 16, wordBreak: 'break-all' }}>
        <code className="mono" style={{ fontSize: 'inherit', background: 'none' }}>{modelName}</code>
      </h1>
      <ModelDetail modelName={modelName} />
    </div>
  );
}
