/**
 * Group commit for the outbox. Each finished attempt is written (the attempt in the log and the
 * item's next state) in a transaction, as before, but the attempts that finish in the same turn of
 * the event loop share one: with hundreds of requests in flight, one commit per attempt cost more
 * CPU than the sends themselves. The caller's promise resolves once its write is committed, so
 * nothing downstream (the item's slot, the change event) runs before the log has it; a crash
 * before the commit leaves the item in flight, which start-up turns into "uncertain" as ever.
 */
export class SettleBatcher {
  private queue: Array<{ write: () => void; done: () => void; fail: (err: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    /** Runs `fn` in one SQLite transaction. */
    private readonly inTransaction: (fn: () => void) => void,
    /** After each commit (once per group). */
    private readonly afterCommit: () => void = () => undefined,
  ) {}

  settle(write: () => void): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ write, done, fail });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const group = this.queue;
    this.queue = [];
    this.scheduled = false;
    try {
      this.inTransaction(() => {
        for (const g of group) g.write();
      });
      for (const g of group) g.done();
    } catch {
      // One write failed and rolled the group back: write them one by one, so only it fails.
      for (const g of group) {
        try {
          this.inTransaction(g.write);
          g.done();
        } catch (err) {
          g.fail(err);
        }
      }
    }
    this.afterCommit();
  }
}
