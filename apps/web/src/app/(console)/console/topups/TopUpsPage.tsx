'use client';

import { useI18n } from '@/lib/i18n/context';
import styles from '../../console.module.css';
import { TopUpOrders } from '../wallet/TopUpOrders';

/** Admin: every user's top-up orders, searchable by order number; pending ones can be completed by hand. */
export function TopUpsPage() {
  const { m } = useI18n();
  return (
    <section>
      <div className={styles.pageHead}>
        <div>
          <h1 className={styles.heading}>{m.topUpOnline.ordersAll}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {m.topUpOnline.ordersSubtitle}
          </p>
        </div>
      </div>
      <TopUpOrders scope="all" />
    </section>
  );
}
