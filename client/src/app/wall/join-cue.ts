import { signal } from '@angular/core';
import { JoinTurns, type JoinTiming } from './join-turns';
import { FADE_MS } from './stage-state';

/** The full-screen join card on screen: since when, and since when it fades out (null while it stays). */
export interface JoinCardState {
  readonly since: number;
  readonly leavingSince: number | null;
}

/** What the show tells the cue at each tick. */
export interface JoinCueInput {
  /** Uploads open, the host shows the code, photos on the wall. */
  readonly allowed: boolean;
  readonly newWaiting: boolean;
  /** A turn of the show (a slide; in a mosaic, the time between two tile swaps). */
  readonly turnMs: number;
  /** A new photo's first turn. */
  readonly newMs: number;
}

/**
 * The join card as the show runs it: JoinTurns decides, this remembers the show's last placements
 * and turns the decision into view state, with a fade out like a slide's.
 */
export class JoinCue {
  readonly card = signal<JoinCardState | null>(null);
  private readonly turns: JoinTurns | null;
  private placedAt = -Infinity;
  private newAt = -Infinity;

  /** timing null: no card (?joinevery=0). */
  constructor(timing: JoinTiming | null, now: number) {
    this.turns = timing && new JoinTurns(timing, now);
  }

  /** The show placed a photo; isNew: its first turn (the card waits for it to pass). */
  placed(now: number, isNew: boolean): void {
    this.placedAt = now;
    if (!isNew) return;
    this.newAt = now;
    this.turns?.newPhoto(now);
  }

  /** Moves the card on; returns whether it holds the screen now (the photos wait meanwhile). */
  tick(now: number, input: JoinCueInput): boolean {
    const showing =
      this.turns?.update(now, {
        allowed: input.allowed,
        newWaiting: input.newWaiting,
        newOnStage: now - this.newAt < input.newMs,
        turnOver: now - this.placedAt >= input.turnMs,
      }) ?? false;
    const card = this.card();
    if (showing && (!card || card.leavingSince !== null)) this.card.set({ since: now, leavingSince: null });
    else if (!showing && card?.leavingSince === null) this.card.set({ ...card, leavingSince: now });
    else if (!showing && card && now - card.leavingSince! >= FADE_MS + 100) this.card.set(null);
    return showing;
  }
}
