import { DisableTracker, pickMultiKeyIndex } from './channel-health';

describe('pickMultiKeyIndex (New API GetNextEnabledKey)', () => {
  const pollSequence = (size: number, statuses: Record<string, number>, count: number, alsoDisabled?: Set<number>) => {
    let pollingIndex = 0;
    const picked: number[] = [];
    for (let i = 0; i < count; i++) {
      const choice = pickMultiKeyIndex({ size, mode: 'polling', statuses, alsoDisabled, pollingIndex });
      picked.push(choice.index);
      pollingIndex = choice.nextPollingIndex;
    }
    return picked;
  };

  it('polls round robin and stores index + 1', () => {
    expect(pollSequence(3, {}, 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(pickMultiKeyIndex({ size: 3, mode: 'polling', statuses: {}, pollingIndex: 1 })).toEqual({ index: 1, nextPollingIndex: 2 });
  });

  it('skips disabled keys, from the status list or from the local set', () => {
    expect(pollSequence(3, { '1': 3 }, 4)).toEqual([0, 2, 0, 2]);
    expect(pollSequence(3, { '0': 2 }, 3, new Set([2]))).toEqual([1, 1, 1]);
    expect(pollSequence(3, { '0': 1, '1': 1, '2': 1 }, 3)).toEqual([0, 1, 2]);
  });

  it('wraps a polling index past the end', () => {
    expect(pickMultiKeyIndex({ size: 3, mode: 'polling', statuses: {}, pollingIndex: 3 }).index).toBe(0);
    expect(pickMultiKeyIndex({ size: 3, mode: 'polling', statuses: { '0': 3 }, pollingIndex: 3 })).toEqual({ index: 1, nextPollingIndex: 2 });
  });

  it('draws uniformly among enabled keys in random mode', () => {
    const draw = (r: number) => pickMultiKeyIndex({ size: 4, mode: 'random', statuses: { '1': 3 }, pollingIndex: 0, random: () => r }).index;
    expect([draw(0), draw(0.34), draw(0.67), draw(0.999999)]).toEqual([0, 2, 3, 3]);
  });

  it('takes the first enabled key for an unknown mode', () => {
    expect(pickMultiKeyIndex({ size: 3, mode: undefined, statuses: { '0': 3 }, pollingIndex: 0 }).index).toBe(1);
  });

  it('answers -1 when no key is enabled', () => {
    for (const mode of ['polling', 'random', undefined]) {
      expect(pickMultiKeyIndex({ size: 2, mode, statuses: { '0': 3 }, alsoDisabled: new Set([1]), pollingIndex: 0 }).index).toBe(-1);
    }
    expect(pickMultiKeyIndex({ size: 0, mode: 'polling', statuses: {}, pollingIndex: 0 }).index).toBe(-1);
  });
});

describe('DisableTracker', () => {
  it('marks a key once until it is ended, per channel', () => {
    const tracker = new DisableTracker();
    expect(tracker.beginKey(7, 1)).toBe(true);
    expect(tracker.beginKey(7, 1)).toBe(false);
    expect(tracker.beginKey(7, 2)).toBe(true);
    expect(tracker.beginKey(8, 1)).toBe(true);
    expect([...tracker.keysOf(7)!]).toEqual([1, 2]);
    tracker.endKey(7, 1);
    tracker.endKey(7, 2);
    expect(tracker.keysOf(7)).toBeUndefined();
    expect(tracker.beginKey(7, 1)).toBe(true);
  });

  it('runs the writes of one channel one after another, even after a failure', async () => {
    const tracker = new DisableTracker();
    const events: string[] = [];
    let release!: () => void;
    const first = tracker.enqueue(1, async () => {
      events.push('first start');
      await new Promise<void>((resolve) => (release = resolve));
      events.push('first end');
      throw new Error('write failed');
    });
    const second = tracker.enqueue(1, async () => {
      events.push('second');
      return 2;
    });
    const other = tracker.enqueue(2, async () => {
      events.push('other channel');
    });
    await other;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['first start', 'other channel']);
    release();
    await expect(first).rejects.toThrow('write failed');
    await expect(second).resolves.toBe(2);
    expect(events).toEqual(['first start', 'other channel', 'first end', 'second']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(tracker.busyChannels).toBe(0);
  });
});
