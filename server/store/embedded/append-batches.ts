/** A chunk waiting for its upload's turn to be written. */
export interface QueuedChunk {
  readonly offset: number;
  readonly data: Uint8Array;
  /** The upload's received count once this chunk's batch is written (see PartFiles.appendAll). */
  resolve(size: number): void;
  reject(error: unknown): void;
}

/**
 * Chunks of one upload that arrive while its previous write is under way are written together, in
 * one writev and (with SYNC_WRITES) one fsync, when the upload's turn comes. Each chunk is still
 * answered only once its batch is durable. A group stops taking chunks when its turn starts, or
 * when something else (a delete) queues behind it, so the upload's order of operations holds.
 */
export class AppendBatches {
  private readonly open = new Map<string, QueuedChunk[]>();

  /** `schedule` queues one turn per group; `take` hands the turn its chunks, and it settles each. */
  add(id: string, offset: number, data: Uint8Array, schedule: (take: () => readonly QueuedChunk[]) => Promise<void>): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const chunk: QueuedChunk = { offset, data, resolve, reject };
      const group = this.open.get(id);
      if (group) {
        group.push(chunk);
        return;
      }
      const fresh = [chunk];
      this.open.set(id, fresh);
      const take = () => {
        this.seal(id, fresh);
        return fresh;
      };
      schedule(take).catch((e: unknown) => {
        for (const c of fresh) c.reject(e);
      });
    });
  }

  /** Chunks added from now on form a new group, behind whatever was queued meanwhile. */
  seal(id: string, group: QueuedChunk[] | undefined = this.open.get(id)): void {
    if (group && this.open.get(id) === group) this.open.delete(id);
  }
}
