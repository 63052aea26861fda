/**
 * Answers Postscript gave that the app could not write (a full disk, a damaged database). They are
 * kept here, in memory, and written as soon as storage is healthy again; until then they are shown
 * as "delivered, not recorded" and never as waiting, because a send that looks pending invites a
 * second text to a real phone. (A quit before they are written leaves them in flight in the
 * database, which the next start turns "uncertain": the honest word for what it then knows.)
 */
/** The app's storage health: whether writes may go on, and where a failed write is reported. */
export interface StorageGate {
  allowed(): boolean;
  /** The agent's message when the error is a storage failure (full disk, damaged database), else null. */
  report(err: unknown, where: string): string | null;
}

/** A send Postscript answered whose answer could not be written (full disk, damaged database). */
export interface UnrecordedSend {
  itemId: number;
  storeId: string;
  eventKey: string;
  outcome: string;
  status: number | null;
  at: string;
  reason: string;
}

/** The answers, by outbox item, each with the write that records it. */
export class UnrecordedAnswers {
  private readonly answers = new Map<number, { info: UnrecordedSend; record: () => number | null }>();

  keep(info: UnrecordedSend, record: () => number | null): void {
    this.answers.set(info.itemId, { info, record });
  }

  /**
   * Writes each kept answer; returns how many were written. A storage failure is thrown at once
   * (that answer and the ones not yet tried stay kept). One whose item is gone stays listed: the
   * agent still needs to know it was sent.
   */
  recordAll(): number {
    let written = 0;
    for (const [id, a] of this.answers) {
      if (a.record() !== null) {
        this.answers.delete(id);
        written++;
      }
    }
    return written;
  }

  list(): UnrecordedSend[] {
    return [...this.answers.values()].map((a) => a.info);
  }

  ids(): number[] {
    return [...this.answers.keys()];
  }
}
