import type { PhotoDto } from '@photobook/shared';

/** A cross-fade: the new photo fades in over the old one, which then leaves the DOM. */
export const FADE_MS = 1_200;

/** One full-screen layer of the slideshow. At most two exist: the one on stage and the one fading out under it. */
export interface Slide {
  readonly key: number;
  readonly photo: PhotoDto;
  /** This turn is the photo's "new" moment. */
  readonly isNew: boolean;
  /** Set when a newer slide fades in over it; it is gone from the DOM FADE_MS later. */
  readonly leavingSince: number | null;
  /** cover: fills the screen (close to its shape); contain: whole, on a blurred copy of itself. */
  readonly fit: 'cover' | 'contain';
  /** Which of a few pan-and-zoom paths it takes, so consecutive photos do not all move alike. */
  readonly motion: number;
}

/** One tile of the mosaic; its previous photo lingers under it while the new one fades in. */
export interface Tile {
  readonly key: number;
  readonly photo: PhotoDto;
  readonly placedAt: number;
  readonly isNew: boolean;
  readonly ghost: PhotoDto | null;
}

/** Photos close to the screen's shape fill it (a little cropped); others are shown whole. */
export function fitFor(photo: Pick<PhotoDto, 'width' | 'height'>, screenAspect: number): 'cover' | 'contain' {
  if (!(photo.width > 0 && photo.height > 0 && screenAspect > 0)) return 'contain';
  const ratio = photo.width / photo.height / screenAspect;
  return ratio >= 0.8 && ratio <= 1.25 ? 'cover' : 'contain';
}

export function motionFor(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(h) % 4;
}

/** Puts a slide on top: the one showing starts leaving, any older leaving one goes at once. */
export function pushSlide(slides: readonly Slide[], slide: Slide, now: number): Slide[] {
  const top = slides.find((s) => s.leavingSince === null);
  return top ? [{ ...top, leavingSince: now }, slide] : [slide];
}

/** Drops what has finished fading, and clears tiles' "new" look after `newMs`. Same array if nothing changed. */
export function expireSlides(slides: readonly Slide[], now: number): readonly Slide[] {
  const kept = slides.filter((s) => s.leavingSince === null || now - s.leavingSince < FADE_MS + 100);
  return kept.length === slides.length ? slides : kept;
}

export function expireTiles(tiles: readonly Tile[], now: number, newMs: number): readonly Tile[] {
  let changed = false;
  const next = tiles.map((t) => {
    const ghostDone = t.ghost !== null && now - t.placedAt >= FADE_MS + 100;
    const newDone = t.isNew && now - t.placedAt >= newMs;
    if (!ghostDone && !newDone) return t;
    changed = true;
    return { ...t, ghost: ghostDone ? null : t.ghost, isNew: newDone ? false : t.isNew };
  });
  return changed ? next : tiles;
}

/**
 * Keeps only photos still on the wall and swaps in their latest DTOs (an edited caption shows in
 * place). Same array if nothing changed, so an unrelated event does not re-render the stage.
 */
export function refreshSlides(slides: readonly Slide[], latest: (photo: PhotoDto) => PhotoDto | undefined): readonly Slide[] {
  let changed = false;
  const next: Slide[] = [];
  for (const s of slides) {
    const photo = latest(s.photo);
    if (!photo) changed = true;
    else if (photo !== s.photo) {
      changed = true;
      next.push({ ...s, photo });
    } else next.push(s);
  }
  return changed ? next : slides;
}

export function refreshTiles(tiles: readonly Tile[], latest: (photo: PhotoDto) => PhotoDto | undefined): readonly Tile[] {
  let changed = false;
  const next: Tile[] = [];
  for (const t of tiles) {
    const photo = latest(t.photo);
    const ghost = t.ghost && latest(t.ghost) ? t.ghost : null;
    if (!photo) changed = true;
    else if (photo !== t.photo || ghost !== t.ghost) {
      changed = true;
      next.push({ ...t, photo, ghost });
    } else next.push(t);
  }
  return changed ? next : tiles;
}
