/**
 * A bad environment stops the API before it does anything: non-zero exit, and one line that names
 * the variable (operators read it in `docker logs`; a stack trace would bury it).
 */
import { runApiExpectingExit } from './harness';

jest.setTimeout(30_000);

const BAD_VALUES: [variable: string, value: string][] = [
  ['PORT', 'abc'],
  ['PORT', '70000'],
  ['NODE_TYPE', 'boss'],
  ['BATCH_UPDATE_ENABLED', 'maybe'],
  ['SQL_DSN', 'garbage'],
  ['SQL_DSN', 'root:pw@tcp(localhost:3306/oneapi'],
  ['SQL_DSN', 'root:pw@carrier-pigeon(localhost)/oneapi'],
  ['LOG_SQL_DSN', 'ftp://logs.example.com/logs'],
];

describe('configuration errors', () => {
  it.each(BAD_VALUES)('%s=%s stops the process with one line naming the variable', async (variable, value) => {
    const { code, output } = await runApiExpectingExit({ [variable]: value, SQLITE_PATH: '/nonexistent/never-created.db' });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // exited by itself, not killed by the harness timeout
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
  });

  it('does not print the password of a DSN it refuses', async () => {
    const { code, output } = await runApiExpectingExit({ SQL_DSN: 'admin:S3cretPassw0rd@tcp(db:3306' });
    expect(code).not.toBe(0);
    expect(output).toContain('SQL_DSN');
    expect(output).not.toContain('S3cretPassw0rd');
  });
});
