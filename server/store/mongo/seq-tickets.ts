/**
 * Seq numbers with several writers. A counter alone hands out 41 and 42 to two replicas, 42 can be
 * written first, and a reader that advanced to 42 would skip 41 for good. So each seq is a ticket
 * that exists before its change is written and is closed after:
 *
 * - take(): inserts ticket max+1 (the unique _id settles races), so no ticket ever appears below
 *   one that already exists;
 * - finish(): closes it by inserting its close record; a reader that gave up on the ticket inserted
 *   that record first (abandoned), and then the writer moves its change to a new seq;
 * - watermark(): reads the highest ticket, then which tickets below it are closed; every seq below
 *   the lowest open one was closed, so its change is visible. A ticket open longer than GRACE_MS
 *   belongs to a writer that died or stalled: it is abandoned, so one crash cannot stop every wall.
 *
 * Only inserts against a unique _id decide anything: they are atomic on MongoDB and on FerretDB
 * alike (FerretDB v1 applies updates as read-modify-write, so two updates can both "win").
 */
import type { Collection } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';
import type { TicketClose, TicketDoc } from './collections';

/** Longer than an election plus the driver's retry, so a slow but live writer is not given up on. */
export const TICKET_GRACE_MS = 60_000;
/** Closed tickets kept below the top when pruning (the top one is always kept). */
const KEEP_CLOSED = 50;
/** Every this many tickets the taker prunes too, between sweeps (each look-up reads the open range). */
const PRUNE_EVERY = 50;

export class SeqTickets {
  constructor(
    private readonly tickets: Collection<TicketDoc>,
    private readonly closes: Collection<TicketClose>,
    private readonly now: () => number = Date.now,
  ) {}

  private async top(): Promise<number> {
    const doc = await this.tickets.find({}, { sort: { _id: -1 }, limit: 1, projection: { _id: 1 } }).next();
    return doc?._id ?? 0;
  }

  async take(): Promise<number> {
    for (;;) {
      const seq = (await this.top()) + 1;
      try {
        await this.tickets.insertOne({ _id: seq, at: this.now() });
        if (seq % PRUNE_EVERY === 0) void this.prune().catch(() => undefined);
        return seq;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
  }

  /** Inserts the close record; false when one was there already (the other side got there first). */
  private async close(seq: number, how: TicketClose['how']): Promise<boolean> {
    try {
      await this.closes.insertOne({ _id: seq, how });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /** True when closed in time; false when a reader abandoned it (the change must take a new seq). */
  async finish(seq: number): Promise<boolean> {
    if (await this.close(seq, 'done')) return true;
    return (await this.closes.findOne({ _id: seq }))?.how === 'done';
  }

  async watermark(): Promise<number> {
    for (;;) {
      // Top first: every ticket at or below it exists now, so one not closed below is still open.
      const top = await this.top();
      const open = await this.lowestOpen(top);
      if (!open) return top;
      if (this.now() - open.at < TICKET_GRACE_MS) return open._id - 1;
      await this.close(open._id, 'abandoned');
    }
  }

  private async lowestOpen(top: number): Promise<TicketDoc | null> {
    const tickets = await this.tickets.find({ _id: { $lte: top } }, { sort: { _id: 1 } }).toArray();
    if (tickets.length === 0) return null;
    const closed = await this.closes.find({ _id: { $gte: tickets[0]!._id, $lte: top } }, { projection: { _id: 1 } }).toArray();
    const done = new Set(closed.map((c) => c._id));
    for (const ticket of tickets.filter((t) => !done.has(t._id))) {
      // Pruning deletes a ticket before its close: a close gone with its ticket gone too was closed.
      if (await this.tickets.findOne({ _id: ticket._id }, { projection: { _id: 1 } })) return ticket;
    }
    return null;
  }

  /** Continues a migrated event's numbering: the next ticket follows `seq`. */
  async raiseTo(seq: number): Promise<void> {
    if ((await this.top()) >= seq) return;
    await this.tickets.insertOne({ _id: seq, at: this.now() }).catch((e: unknown) => {
      if (!isDuplicateKey(e)) throw e;
    });
    await this.close(seq, 'done');
  }

  /** Drops closed tickets well below the top (ticket first, then its close), keeping look-ups small. */
  async prune(): Promise<void> {
    const top = await this.top();
    const old = await this.closes.find({ _id: { $lt: top - KEEP_CLOSED } }, { projection: { _id: 1 } }).toArray();
    for (const { _id } of old) {
      await this.tickets.deleteOne({ _id });
      await this.closes.deleteOne({ _id });
    }
  }
}
