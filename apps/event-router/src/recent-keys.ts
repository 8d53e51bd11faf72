/**
 * A bounded memory of recently routed event keys, so a burst of redeliveries (after a rebalance, say)
 * skips the round trip to Temporal. Only an optimisation: the workflow id is what guarantees "once".
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }
}
