import { DOCUMENT, DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { SLIDE_SECONDS_RANGE, WALL_LAYOUTS, type PhotoDto, type WallLayout } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { JoinCue } from './join-cue';
import { joinTimingFrom } from './join-turns';
import { MAX_TILES } from './mosaic-grid';
import { ShowScheduler, type ShowTiming } from './show-scheduler';
import { expireSlides, expireTiles, fitFor, motionFor, pushSlide, refreshSlides, refreshTiles, type Slide, type Tile } from './stage-state';
import { WALL_CLOCK } from './wall-clock';
import { WallFeed } from './wall-feed';
import { WALL_IMAGE_LOADER } from './wall-images';
import { WALL_URL_OPTIONS } from './wall-options';
import { WallWindow } from './wall-window';

export type ShowMode = 'slideshow' | 'mosaic';

/** Fine enough for the quickest slides the address allows; a tick that changes nothing costs next to nothing. */
const TICK_MS = 100;
/** Mixed layout: this many slides, then this many tile swaps, and again. */
const SLIDESHOW_STRETCH = 4;
const MOSAIC_STRETCH = 8;
/** Fewer photos than this make a poor mosaic: mixed stays a slideshow. */
const MIN_MOSAIC = 4;
const PRELOAD_AHEAD = 2;
const MAX_LOADING = 4;
/** An image that failed this many times is off the show for good (never retried forever). */
const MAX_FAILURES = 2;
/** While offline a failed load says nothing about the image: try again later, counting nothing. */
const OFFLINE_RETRY_MS = 5_000;
const MAX_LOAD_STATES = 48;

type LoadState = { readonly state: 'loading' | 'ready' } | { readonly state: 'failed'; readonly retryAt: number | null };

/**
 * Runs the projector's show: feeds the scheduler from the window, places photos on the stage or
 * in mosaic tiles as turns come due, preloads the next images and skips broken ones. View state
 * is signals; the components only draw it. One interval drives it, plus every feed change.
 */
@Injectable()
export class WallShow {
  private readonly realtime = inject(RealtimeService);
  private readonly clock = inject(WALL_CLOCK);
  private readonly loadImage = inject(WALL_IMAGE_LOADER);
  private readonly options = inject(WALL_URL_OPTIONS);
  private readonly feed = inject(WallFeed);
  private readonly view = inject(DOCUMENT).defaultView;
  private readonly destroyRef = inject(DestroyRef);
  readonly scheduler = new ShowScheduler();
  readonly window = new WallWindow(this.scheduler);

  private readonly settings = this.realtime.settings;
  readonly lowPower = this.options.lowPower;
  /** The host's layout; the address (?layout=) wins, for a quick test on the projector. */
  readonly layout = computed<WallLayout>(() => {
    const layout = this.options.layout ?? this.settings()?.wall?.layout;
    return (WALL_LAYOUTS as readonly unknown[]).includes(layout) ? layout! : 'slideshow';
  });
  readonly slideMs = computed(() => {
    if (this.options.seconds !== null) return Math.round(1000 * this.options.seconds);
    const seconds = Number(this.settings()?.wall?.slideSeconds) || 8;
    return 1000 * Math.min(SLIDE_SECONDS_RANGE.max, Math.max(SLIDE_SECONDS_RANGE.min, seconds));
  });
  private readonly phase = signal<ShowMode>('slideshow');
  /** What should be on screen: the layout, or in a mixed one its current stretch. */
  private readonly wantedMode = computed<ShowMode>(() => (this.layout() === 'mixed' ? this.phase() : (this.layout() as ShowMode)));
  private readonly shown = signal<ShowMode>('slideshow');
  /** What is on screen now (follows wantedMode on the next tick, together with the slides or tiles). */
  readonly mode = this.shown.asReadonly();
  readonly slides = signal<readonly Slide[]>([]);
  readonly tiles = signal<readonly Tile[]>([]);
  /** The photo placed last (the slideshow's, or the mosaic's newest tile). */
  readonly current = signal<string | null>(null);
  readonly total = signal(0);
  readonly empty = signal(true);
  readonly connected = this.realtime.connected;
  /** The host shows the code (a pause hides it: no invitation to upload while uploads are shut). */
  readonly inviting = computed(() => (this.settings()?.wall?.showQr ?? true) && !this.settings()?.paused);

  private entered = false;
  /** Turns in the current stretch of a mixed layout. */
  private stretch = 0;
  private keys = 0;
  private readonly loads = new Map<string, LoadState>();
  private readonly failures = new Map<string, number>();
  private readonly onFeed = (left: readonly string[]) => this.changed(left);
  private readonly joinCue = new JoinCue(joinTimingFrom(this.options.joinEvery, this.options.joinFor), this.clock.now());
  /** The full-screen join card, taking a turn of the show like a slide; null when it is not on screen. */
  readonly joinCard = this.joinCue.card.asReadonly();

  start(): void {
    this.feed.start(this.window, this.onFeed);
    this.destroyRef.onDestroy(this.clock.every(TICK_MS, () => this.tick()));
    this.tick();
  }

  constructor() {
    // The host switched the layout or the pace: follow at once rather than on the next tick.
    effect(() => {
      this.wantedMode();
      this.slideMs();
      untracked(() => this.tick());
    });
  }

  tick(): void {
    const now = this.clock.now();
    this.switchPhase(now);
    const mode = this.wantedMode();
    if (!this.entered || mode !== this.shown()) this.enter(mode, now);
    this.slides.update((slides) => expireSlides(slides, now));
    this.tiles.update((tiles) => expireTiles(tiles, now, this.slideMs()));
    // The join card takes the turn that is due before a photo can; while it shows, the photos wait.
    const card = this.joinCue.tick(now, {
      allowed: this.inviting() && !this.empty(),
      newWaiting: this.scheduler.waitingNew > 0,
      turnMs: mode === 'slideshow' ? this.slideMs() : this.slideMs() / 2,
      newMs: this.slideMs(),
    });
    if (!card && mode === 'slideshow') this.placeSlide(now);
    else if (!card) this.placeTiles(now);
    this.preload(mode);
    this.total.set(this.window.total);
    this.empty.set(this.scheduler.available === 0 && this.slides().length === 0 && this.tiles().length === 0);
    this.feed.maybeFetchPage(this.window, this.onFeed);
  }

  private changed(left: readonly string[]): void {
    // A photo that left goes at once, even mid-fade; an edited one changes in place.
    const latest = (photo: PhotoDto) =>
      left.includes(photo.id) || !this.scheduler.has(photo.id) ? undefined : (this.window.get(photo.id) ?? photo);
    this.slides.update((slides) => refreshSlides(slides, latest));
    this.tiles.update((tiles) => refreshTiles(tiles, latest));
    const current = this.current();
    if (current !== null && !this.scheduler.isOnStage(current)) this.current.set(null);
    this.tick();
  }

  /** Tiles the mosaic can hold: one cell goes to the join card while the host shows it. */
  private tileCapacity(): number {
    const joinCell = this.settings()?.wall?.showQr ?? true;
    return Math.min(MAX_TILES - (joinCell ? 1 : 0), this.scheduler.available);
  }

  private timing(turnMs: number): ShowTiming {
    const slideMs = this.slideMs();
    return { turnMs, newHoldMs: Math.min(slideMs, Math.max(3_000, slideMs / 2)) };
  }

  private placeSlide(now: number): void {
    const s = this.scheduler;
    for (let guard = 0; guard < 8 && s.due(now, this.timing(this.slideMs()), 1); guard++) {
      const next = this.ready(now);
      if (next === 'wait') return;
      if (next === 'again') continue;
      const stage = s.onStage();
      const placed = s.show(next.id, now)!;
      for (const id of stage) if (id !== next.id) s.unstage(id);
      this.slides.update((slides) => pushSlide(slides, this.slideOf(next, placed.isNew), now));
      this.joinCue.placed(now, placed.isNew);
      this.current.set(next.id);
      this.stretch++;
      return;
    }
  }

  private placeTiles(now: number): void {
    const s = this.scheduler;
    const capacity = this.tileCapacity();
    for (let guard = 0; guard < MAX_TILES + 4 && s.due(now, this.timing(this.slideMs() / 2), capacity); guard++) {
      const next = this.ready(now);
      if (next === 'wait') return;
      if (next === 'again') continue;
      const tiles = this.tiles();
      const replacing = tiles.length < capacity ? null : s.oldestOnStage();
      const placed = s.show(next.id, now, replacing)!;
      const tile: Tile = { key: ++this.keys, photo: next, placedAt: now, isNew: placed.isNew, ghost: null };
      const at = tiles.findIndex((t) => t.photo.id === replacing);
      if (at < 0) this.tiles.set([...tiles, tile]);
      else this.tiles.set(tiles.map((t, i) => (i === at ? { ...tile, key: t.key, ghost: t.photo } : t)));
      if (at >= 0) this.stretch++;
      this.joinCue.placed(now, placed.isNew);
      this.current.set(next.id);
    }
  }

  /** The next photo if its image is ready; 'wait' while it loads; 'again' after skipping a broken one. */
  private ready(now: number): PhotoDto | 'wait' | 'again' {
    const id = this.scheduler.peek();
    const photo = id === null ? undefined : this.window.get(id);
    if (id === null) return 'wait';
    if (!photo) {
      this.scheduler.setAvailable(id, false);
      return 'again';
    }
    const load = this.loads.get(id);
    if (!load || (load.state === 'failed' && load.retryAt !== null && now >= load.retryAt)) {
      this.startLoad(photo);
      return 'wait';
    }
    if (load.state === 'ready') return photo;
    if (load.state === 'loading' || (load.state === 'failed' && load.retryAt !== null)) return 'wait';
    this.fail(id, now);
    return 'again';
  }

  private startLoad(photo: PhotoDto): void {
    let loading = 0;
    for (const l of this.loads.values()) if (l.state === 'loading') loading++;
    if (loading >= MAX_LOADING) return;
    this.loads.set(photo.id, { state: 'loading' });
    void this.loadImage(photo.displayUrl).then((ok) => {
      if (this.loads.get(photo.id)?.state !== 'loading') return;
      const offline = !ok && !this.realtime.connected();
      this.loads.set(photo.id, ok ? { state: 'ready' } : { state: 'failed', retryAt: offline ? this.clock.now() + OFFLINE_RETRY_MS : null });
      if (ok) this.failures.delete(photo.id);
      this.tick();
    });
  }

  /** First failure: to the back of the line. Second: off the show. */
  private fail(id: string, now: number): void {
    this.loads.delete(id);
    const failures = (this.failures.get(id) ?? 0) + 1;
    if (failures >= MAX_FAILURES) {
      this.failures.delete(id);
      this.window.drop(id);
      return;
    }
    this.failures.set(id, failures);
    if (this.failures.size > 1_000) this.failures.delete(this.failures.keys().next().value!);
    this.scheduler.skip(id, now);
  }

  private preload(mode: ShowMode): void {
    const s = this.scheduler;
    const free = mode === 'mosaic' ? this.tileCapacity() - this.tiles().length : 0;
    const upcoming = s.upcoming(PRELOAD_AHEAD + Math.max(0, free));
    for (const id of upcoming) {
      const photo = this.window.get(id);
      if (photo && !this.loads.has(id)) this.startLoad(photo);
    }
    if (this.loads.size <= MAX_LOAD_STATES) return;
    const keep = new Set([...upcoming, ...s.onStage()]);
    for (const [id, load] of this.loads) if (!keep.has(id) && load.state !== 'loading') this.loads.delete(id);
  }

  /** A mixed layout alternates stretches; a new photo always gets its moment as a slide. */
  private switchPhase(now: number): void {
    if (this.layout() !== 'mixed') return;
    const s = this.scheduler;
    if (this.phase() === 'mosaic') {
      if (s.waitingNew > 0 || this.stretch >= MOSAIC_STRETCH || s.available < MIN_MOSAIC) this.phase.set('slideshow');
    } else if (this.stretch >= SLIDESHOW_STRETCH && s.waitingNew === 0 && s.available >= MIN_MOSAIC && s.due(now, this.timing(this.slideMs()), 1)) {
      this.phase.set('mosaic');
    }
  }

  /** Switches what is drawn: the slide becomes the mosaic's first tile, or the newest tile the slide. */
  private enter(mode: ShowMode, now: number): void {
    const s = this.scheduler;
    if (mode === 'mosaic') {
      const top = this.slides().find((slide) => slide.leavingSince === null);
      this.tiles.set(top ? [{ key: ++this.keys, photo: top.photo, placedAt: now, isNew: false, ghost: null }] : []);
      this.slides.set([]);
    } else {
      const newest = this.tiles().reduce<Tile | null>((a, t) => (!a || t.placedAt > a.placedAt ? t : a), null);
      for (const id of s.onStage()) if (id !== newest?.photo.id) s.unstage(id);
      this.slides.set(newest ? [this.slideOf(newest.photo, false)] : []);
      this.tiles.set([]);
    }
    this.shown.set(mode);
    this.entered = true;
    this.stretch = 0;
  }

  private slideOf(photo: PhotoDto, isNew: boolean): Slide {
    const aspect = this.view && this.view.innerHeight > 0 ? this.view.innerWidth / this.view.innerHeight : 16 / 9;
    return { key: ++this.keys, photo, isNew, leavingSince: null, fit: fitFor(photo, aspect), motion: motionFor(photo.id) };
  }
}
