import Link from 'next/link';
import { headers } from 'next/headers';
import { Markdown } from '@/components/Markdown';
import { isHttpsUrl } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { getMessages } from '@/lib/i18n/server';
import { getHomePageContent, getStatus } from '@/lib/server-api';
import styles from './home.module.css';

/** The origin clients should call: this web origin (it proxies /v1 to the API). */
async function publicOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto.split(',')[0]?.trim() || 'http'}://${host.split(',')[0]?.trim()}`;
}

export default async function HomePage() {
  const { m } = await getMessages();
  const [status, content, origin] = await Promise.all([getStatus(), getHomePageContent(), publicOrigin()]);
  const name = status?.system_name || m.common.productName;
  const trimmed = content?.trim() ?? '';

  return (
    <>
      <section className={styles.hero}>
        <div className="container">
          <h1 className={styles.title}>{format(m.home.heroTitle, { name })}</h1>
          <p className={styles.subtitle}>{m.home.heroSubtitle}</p>
          <div className={styles.ctas}>
            <Link className="btn btn-primary" href="/login">
              {m.home.ctaLogin}
            </Link>
            <Link className="btn" href="/pricing">
              {m.home.ctaPricing}
            </Link>
          </div>
          {status === null ? <p className={`alert ${styles.notice}`}>{m.common.apiUnreachable}</p> : null}
        </div>
      </section>

      <section className="container">
        {trimmed === '' ? (
          <div className="card">
            <h2 className={styles.h2}>{m.home.defaultIntroTitle}</h2>
            <p>{m.home.defaultIntro}</p>
            <p className={styles.baseUrl}>
              <span className="muted">{m.home.baseUrlLabel}</span> <code>{origin}/v1</code>
            </p>
          </div>
        ) : isHttpsUrl(trimmed) ? (
          <iframe className={styles.iframe} src={trimmed} title={m.home.iframeTitle} />
        ) : (
          <div className="card">
            <Markdown>{trimmed}</Markdown>
          </div>
        )}
      </section>
    </>
  );
}
