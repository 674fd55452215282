/**
 * True when a database error is a unique-key violation, on any of the three drivers:
 * SQLite (better-sqlite3), MySQL/MariaDB (mysql2) and PostgreSQL (pg).
 */
export function isUniqueViolation(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  return candidates.some((candidate) => {
    if (typeof candidate !== 'object' || candidate === null) return false;
    const { code, errno } = candidate as { code?: unknown; errno?: unknown };
    return (
      code === 'SQLITE_CONSTRAINT_UNIQUE' ||
      code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
      code === 'ER_DUP_ENTRY' ||
      errno === 1062 ||
      code === '23505'
    );
  });
}
