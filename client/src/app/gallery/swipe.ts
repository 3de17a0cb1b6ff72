/** A horizontal move at least this long (CSS px) turns the photo. */
export const SWIPE_MIN_PX = 50;
/** A quick flick turns it with less travel. */
const FLICK_MIN_PX = 25;
const FLICK_MAX_MS = 250;

export type SwipeTurn = 'next' | 'previous';

/**
 * Turns one pointer's drag into a swipe. Left (finger towards the left edge) is the next, older
 * photo; right the previous one. Mostly vertical drags are not swipes (a guest scrolling the
 * caption or starting a pinch). No DOM: the viewer feeds it pointer coordinates.
 */
export class SwipeTracker {
  private start: { id: number; x: number; y: number; at: number } | null = null;

  /** A primary pointer went down. */
  down(id: number, x: number, y: number, at: number): void {
    this.start = { id, x, y, at };
  }

  /** How far the photo should follow the finger (0 while the drag is not a horizontal one). */
  move(id: number, x: number, y: number): number {
    const s = this.start;
    if (!s || s.id !== id) return 0;
    const dx = x - s.x;
    return Math.abs(dx) > Math.abs(y - s.y) ? dx : 0;
  }

  /** The pointer went up: a turn, or null. */
  up(id: number, x: number, y: number, at: number): SwipeTurn | null {
    const s = this.start;
    if (!s || s.id !== id) return null;
    this.start = null;
    const dx = x - s.x;
    const dy = y - s.y;
    if (Math.abs(dx) < Math.abs(dy) * 1.2) return null;
    const quick = at - s.at <= FLICK_MAX_MS;
    if (Math.abs(dx) < (quick ? FLICK_MIN_PX : SWIPE_MIN_PX)) return null;
    return dx < 0 ? 'next' : 'previous';
  }

  /** The browser took the pointer (a scroll, a pinch) or it left: no turn. */
  cancel(): void {
    this.start = null;
  }

  get active(): boolean {
    return this.start !== null;
  }
}
