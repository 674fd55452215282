import styles from './SiteFooter.module.css';

export function SiteFooter({ name }: { name: string }) {
  return (
    <footer className={styles.footer}>
      <div className="container">
        © {new Date().getFullYear()} {name}
      </div>
    </footer>
  );
}
