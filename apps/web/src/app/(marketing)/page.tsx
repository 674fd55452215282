import Link from 'next/link';
import { headers } from 'next/headers';
import { Markdown } from '@/components/Markdown';
import { isHttpsUrl } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { getMessages } from '@/lib/i18n/server';
import { getHomePageContent, getPricingModels, getStatus } from '@/lib/server-api';
import { announcementsOf, vendorsOf } from '@/lib/site-content';
import styles from './home.module.css';

/** The origin clients should call: this web origin (it proxies /v1 to the API). */
async function publicOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto.split(',')[0]?.trim() || 'http'}://${host.split(',')[0]?.trim()}`;
}

/**
 * The landing page: hero, the operator's announcements (console_setting.announcements), the
 * configured HomePageContent (Markdown, or an https URL shown in an iframe) or a default intro,
 * what the gateway offers, and the model vendors /api/pricing publishes.
 */
export default async function HomePage() {
  const { m, locale } = await getMessages();
  const [status, content, origin, models] = await Promise.all([getStatus(), getHomePageContent(), publicOrigin(), getPricingModels()]);
  const name = status?.system_name || m.common.productName;
  const trimmed = content?.trim() ?? '';
  const announcements = announcementsOf(status);
  const vendors = vendorsOf(models);
  const canRegister = status?.['register_enabled'] !== false;
  const dateFormat = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-US', { dateStyle: 'medium', timeZone: 'UTC' });

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
            {canRegister ? (
              <Link className="btn" href="/register" data-testid="home-register">
                {m.landing.register}
              </Link>
            ) : null}
            <Link className="btn" href="/pricing">
              {m.home.ctaPricing}
            </Link>
          </div>
          {status === null ? <p className={`alert ${styles.notice}`}>{m.common.apiUnreachable}</p> : null}
          {status?.setup === false ? (
            <p className={`alert ${styles.notice}`}>
              {m.setup.notDoneHint} <Link href="/setup">{m.setup.goSetup}</Link>
            </p>
          ) : null}
        </div>
      </section>

      {announcements.length ? (
        <section className="container" aria-labelledby="announcements-title">
          <div className={`card ${styles.announcementsCard}`} data-testid="announcements">
            <h2 id="announcements-title" className={styles.h2}>
              {m.landing.announcementsTitle}
            </h2>
            <ul className={styles.announcements}>
              {announcements.map((a) => (
                <li key={a.id} className={`${styles.announcement} ${styles[`kind-${a.type}`] ?? ''}`} data-testid="announcement">
                  {a.publishDate && Number.isFinite(Date.parse(a.publishDate)) ? (
                    <time className="muted" dateTime={a.publishDate}>
                      {dateFormat.format(new Date(a.publishDate))}
                    </time>
                  ) : null}
                  <Markdown>{a.content}</Markdown>
                  {a.extra ? <p className="muted">{a.extra}</p> : null}
                </li>
              ))}
            </ul>
          </div>
        </section>
      ) : null}

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
          <div className="card" data-testid="home-content">
            <Markdown>{trimmed}</Markdown>
          </div>
        )}
      </section>

      <section className="container" aria-labelledby="features-title">
        <h2 id="features-title" className={styles.sectionTitle}>
          {format(m.landing.featuresTitle, { name })}
        </h2>
        <div className={styles.features}>
          {m.landing.features.map((f) => (
            <div key={f.title} className="card">
              <h3 className={styles.h3}>{f.title}</h3>
              <p className="muted">{f.body}</p>
            </div>
          ))}
        </div>
      </section>

      <section className="container" aria-labelledby="vendors-title">
        <h2 id="vendors-title" className={styles.sectionTitle}>
          {m.landing.vendorsTitle}
        </h2>
        {vendors.length ? (
          <ul className={styles.vendors} data-testid="vendors">
            {vendors.map((v) => (
              <li key={v.name} className={styles.vendor} data-testid="vendor" data-vendor={v.name}>
                <Link href={`/pricing?q=${encodeURIComponent(v.name)}`}>
                  <strong>{v.name}</strong>
                  <span className="muted">{v.models === 1 ? m.landing.vendorModel : format(m.landing.vendorModels, { count: v.models })}</span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{m.landing.vendorsEmpty}</p>
        )}
      </section>
    </>
  );
}
