/**
 * When the show brings in its full-screen join card: the QR code half the screen high, for the
 * guests at the back of the room whom the corner code does not reach. A clock is passed in (no
 * timers, no DOM, no Angular), like the show's scheduler.
 */
export interface JoinTiming {
  /** The card comes back this long after it last left, however busy the wall is. */
  readonly everyMs: number;
  /** How long it stays. */
  readonly holdMs: number;
  /** Nothing new for this long (since the last new photo, or the card): the wall idles and the card comes sooner. */
  readonly idleMs: number;
}

/**
 * Every 4 minutes for 12 s (about 5% of the show), and after 90 s without a new photo: often
 * enough that a guest looking up finds it within a few minutes, rarely enough not to crowd the photos.
 */
export const JOIN_TIMING: JoinTiming = { everyMs: 4 * 60_000, holdMs: 12_000, idleMs: 90_000 };

/** What the show says at a tick. */
export interface JoinMoment {
  /** The card may show at all: uploads open, the host shows the code, photos on the wall. */
  readonly allowed: boolean;
  /** A new photo waits for its first turn: it goes first, and a card on screen gives way at once. */
  readonly newWaiting: boolean;
  /** A new photo's first turn is still on screen: the card does not cover it. */
  readonly newOnStage: boolean;
  /** The current turn is over: the card takes the next one, as a slide would. */
  readonly turnOver: boolean;
}

/**
 * Rules: the card comes when it is due (every `everyMs`, or `idleMs` after the last new photo or
 * card) and a turn ends, never while a new photo waits or has its moment; it leaves after `holdMs`,
 * or at once for a new photo or a pause. Cut short in its first half, it is still owed and comes
 * back as soon as the new photos have had their turns.
 */
export class JoinTurns {
  private shownSince: number | null = null;
  /** Cut short in its first half by a new photo or a pause: it comes back at the next free turn. */
  private owed = false;
  private lastEnd: number;
  private lastNew: number;

  constructor(
    private readonly timing: JoinTiming,
    now: number,
  ) {
    this.lastEnd = now;
    this.lastNew = now;
  }

  get showing(): boolean {
    return this.shownSince !== null;
  }

  /** A new photo had its first turn: the wall is not idle. */
  newPhoto(now: number): void {
    this.lastNew = now;
  }

  /** Whether the card is due now (it still waits for a turn to end and for new photos). */
  due(now: number): boolean {
    const { everyMs, idleMs } = this.timing;
    return this.owed || now - this.lastEnd >= everyMs || now - Math.max(this.lastEnd, this.lastNew) >= idleMs;
  }

  /** Moves the card on; returns whether it is on screen now. */
  update(now: number, moment: JoinMoment): boolean {
    if (this.shownSince !== null) {
      const shown = now - this.shownSince;
      if (moment.allowed && !moment.newWaiting && shown < this.timing.holdMs) return true;
      this.shownSince = null;
      this.owed = shown < this.timing.holdMs / 2;
      if (!this.owed) this.lastEnd = now;
      return false;
    }
    if (!moment.allowed || moment.newWaiting || moment.newOnStage || !moment.turnOver || !this.due(now)) return false;
    this.shownSince = now;
    return true;
  }
}

/** The timing the wall's address asks for (?joinevery=&joinfor=, in seconds), else JOIN_TIMING; null: no card. */
export function joinTimingFrom(everySeconds: number | null, forSeconds: number | null): JoinTiming | null {
  if (everySeconds === 0) return null;
  const everyMs = everySeconds === null ? JOIN_TIMING.everyMs : everySeconds * 1000;
  const holdMs = forSeconds === null ? JOIN_TIMING.holdMs : forSeconds * 1000;
  return { everyMs, holdMs, idleMs: Math.min(JOIN_TIMING.idleMs, everyMs) };
}
