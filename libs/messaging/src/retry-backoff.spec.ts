import { backoffDelay, sleep } from './retry-backoff';

describe('backoff', () => {
  it('grows exponentially and is capped', () => {
    const max = () => 1;
    expect(backoffDelay(0, 100, 5000, max)).toBe(100);
    expect(backoffDelay(3, 100, 5000, max)).toBe(800);
    expect(backoffDelay(20, 100, 5000, max)).toBe(5000);
    expect(backoffDelay(3, 100, 5000, () => 0)).toBe(100);
  });

  it('aborts a sleep at once', async () => {
    const ac = new AbortController();
    const pending = sleep(60_000, ac.signal);
    ac.abort();
    await expect(pending).rejects.toThrow('stopped');
  });
});
