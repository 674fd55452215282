import { BackgroundRun } from './background-run';

const MINUTE = 60_000;
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('BackgroundRun', () => {
  afterEach(() => jest.useRealTimers());

  it('runs one job at a time and reports a failed job', async () => {
    const errors: unknown[] = [];
    const run = new BackgroundRun((error) => errors.push(error));
    let finish!: () => void;
    expect(run.start(() => new Promise<void>((resolve) => (finish = resolve)))).toBe(true);
    expect(run.isRunning).toBe(true);
    expect(run.start(async () => undefined)).toBe(false);
    finish();
    await settle();
    expect(run.isRunning).toBe(false);
    expect(run.start(() => Promise.reject(new Error('upstream down')))).toBe(true);
    await settle();
    expect(errors).toEqual([new Error('upstream down')]);
    expect(run.start(async () => undefined)).toBe(true);
    await run.stop();
  });

  it('ticks every N minutes, not at all for 0, and no more after stop', async () => {
    jest.useFakeTimers();
    const run = new BackgroundRun(() => undefined);
    const tick = jest.fn();
    run.repeat(10, tick);
    jest.advanceTimersByTime(9 * MINUTE);
    expect(tick).not.toHaveBeenCalled();
    jest.advanceTimersByTime(MINUTE);
    expect(tick).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(20 * MINUTE);
    expect(tick).toHaveBeenCalledTimes(3);
    await run.stop();
    jest.advanceTimersByTime(60 * MINUTE);
    expect(tick).toHaveBeenCalledTimes(3);

    const off = new BackgroundRun(() => undefined);
    const never = jest.fn();
    off.repeat(0, never);
    jest.advanceTimersByTime(24 * 60 * MINUTE);
    expect(never).not.toHaveBeenCalled();
  });

  it('stop aborts the signal, ends pauses at once, waits for the job and refuses new ones', async () => {
    const run = new BackgroundRun(() => undefined);
    const steps: string[] = [];
    run.start(async () => {
      steps.push('first');
      await run.pause(60 * MINUTE);
      if (run.signal.aborted) {
        steps.push('stopped');
        return;
      }
      steps.push('second');
    });
    const started = Date.now();
    await run.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(steps).toEqual(['first', 'stopped']);
    expect(run.start(async () => undefined)).toBe(false);
  });
});
