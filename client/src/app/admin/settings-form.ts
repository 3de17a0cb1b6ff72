import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal, untracked } from '@angular/core';
import {
  DOWNSCALE_ABOVE_MB_RANGE,
  DOWNSCALE_EDGE_RANGE,
  ErrorCode,
  MAX_TITLE_GRAPHEMES,
  SLIDE_SECONDS_RANGE,
  WALL_LAYOUTS,
  type EventSettings,
  type WallLayout,
} from '@photobook/shared';
import { AdminConsole, adminMessage } from './admin-console';
import { draftErrors, draftOf, rebaseDraft, settingsPatch, type DraftField, type SettingsDraft } from './settings-draft';

const LAYOUT_WORDS: Record<WallLayout, string> = {
  slideshow: 'Slideshow — one photo at a time',
  mosaic: 'Mosaic — many photos at once',
  mixed: 'Mixed — new photos big, older ones in a mosaic',
};

export const SAVED_MS = 4_000;

/** The event's settings; saves only what the host changed, and follows changes made elsewhere. */
@Component({
  selector: 'app-settings-form',
  templateUrl: './settings-form.html',
  styleUrls: ['./admin-controls.css', './settings-form.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsForm {
  private readonly console = inject(AdminConsole);
  private base: EventSettings | null = null;
  private savedTimer: ReturnType<typeof setTimeout> | undefined;

  protected readonly layouts = WALL_LAYOUTS.map((value) => ({ value, words: LAYOUT_WORDS[value] ?? value }));
  protected readonly ranges = { slide: SLIDE_SECONDS_RANGE, edge: DOWNSCALE_EDGE_RANGE, above: DOWNSCALE_ABOVE_MB_RANGE };
  protected readonly maxTitle = MAX_TITLE_GRAPHEMES;
  protected readonly limits = computed(() => this.console.state()?.limits ?? null);
  protected readonly draft = signal<SettingsDraft | null>(null);
  /** Field errors, shown once the host tries to save (and then kept up to date while typing). */
  protected readonly showErrors = signal(false);
  protected readonly errors = computed(() => {
    const draft = this.draft();
    const limits = this.limits();
    return draft && limits && this.showErrors() ? draftErrors(draft, limits) : {};
  });
  protected readonly serverError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);
  private readonly settings = computed(() => this.console.state()?.settings ?? null);
  protected readonly dirty = computed(() => {
    const draft = this.draft();
    const settings = this.settings();
    return !!draft && !!settings && settingsPatch(settings, draft) !== null;
  });

  constructor() {
    // The server's settings changed (another console, or this save): untouched fields follow.
    effect(() => {
      const settings = this.settings();
      if (!settings) return;
      untracked(() => {
        const draft = this.draft();
        this.draft.set(draft && this.base ? rebaseDraft(draft, this.base, settings) : draftOf(settings));
        this.base = settings;
      });
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.savedTimer));
  }

  protected set<K extends DraftField>(field: K, value: SettingsDraft[K]): void {
    const draft = this.draft();
    if (!draft) return;
    this.draft.set({ ...draft, [field]: value });
    this.saved.set(false);
    this.serverError.set(null);
  }

  protected number(event: Event): number {
    return (event.target as HTMLInputElement).valueAsNumber;
  }

  protected checked(event: Event): boolean {
    return (event.target as HTMLInputElement).checked;
  }

  protected text(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement).value;
  }

  protected revert(): void {
    const settings = this.settings();
    if (settings) this.draft.set(draftOf(settings));
    this.showErrors.set(false);
    this.serverError.set(null);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    const draft = this.draft();
    const settings = this.settings();
    const limits = this.limits();
    if (!draft || !settings || !limits || this.saving()) return;
    this.showErrors.set(true);
    if (Object.keys(draftErrors(draft, limits)).length) {
      this.focusFirstInvalid(event.target as HTMLFormElement);
      return;
    }
    const patch = settingsPatch(settings, draft);
    if (!patch) return;
    this.saving.set(true);
    this.serverError.set(null);
    const result = await this.console.saveSettings(patch);
    this.saving.set(false);
    if (result.ok) {
      this.showErrors.set(false);
      this.saved.set(true);
      clearTimeout(this.savedTimer);
      this.savedTimer = setTimeout(() => this.saved.set(false), SAVED_MS);
    } else {
      // For a refused value the server's own sentence names the field; other codes get ours.
      const words = result.error.code === ErrorCode.BadRequest && result.error.message ? result.error.message : adminMessage(result.error);
      this.serverError.set(`Not saved: ${words}`);
    }
  }

  private focusFirstInvalid(form: HTMLFormElement): void {
    setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }
}
