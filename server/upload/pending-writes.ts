/**
 * Chunk writes handed to the store but not yet acknowledged, per upload. The store runs one
 * upload's appends in the order they were handed over and appends only at its exact end, so the
 * next chunk may be checked and handed over while the previous one is still being written: each
 * ack still waits for its own write (and every earlier one), and a failed write makes the ones
 * queued behind it miss the offset, so nothing past a failure is acknowledged (UP3, UP17).
 */
export class PendingWrites {
  private readonly tails = new Map<string, { readonly end: number; readonly done: Promise<void> }>();

  /** Where the upload will end once the writes in flight land; undefined when none is. */
  end(uploadId: string): number | undefined {
    return this.tails.get(uploadId)?.end;
  }

  /** Tracks a write that leaves the upload at `end` when it succeeds. */
  add(uploadId: string, end: number, written: Promise<unknown>): void {
    const tail = { end, done: written.then(() => undefined, () => undefined) };
    this.tails.set(uploadId, tail);
    void tail.done.then(() => {
      if (this.tails.get(uploadId) === tail) this.tails.delete(uploadId);
    });
  }

  /** Resolves once every write handed over for the upload has finished, well or not. */
  async settled(uploadId: string): Promise<void> {
    // add() forgets the tail once it is done, before this await resumes.
    await this.tails.get(uploadId)?.done;
  }
}
