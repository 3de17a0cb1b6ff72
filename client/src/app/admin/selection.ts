import { computed, signal } from '@angular/core';

/**
 * Which photos are ticked for a bulk action. A click ticks or unticks one photo; a shift-click
 * gives the whole range from the previous click to this one the clicked photo's new state, as in
 * a mail client.
 */
export class Selection {
  private readonly ids = signal<ReadonlySet<string>>(new Set());
  private anchor: string | null = null;

  readonly selected = this.ids.asReadonly();
  readonly count = computed(() => this.ids().size);

  has(id: string): boolean {
    return this.ids().has(id);
  }

  /** order: the ids as shown, so a range means what the host sees between the two clicks. */
  toggle(id: string, order: readonly string[], range: boolean): void {
    const next = new Set(this.ids());
    const tick = !next.has(id);
    const from = range && this.anchor !== null ? order.indexOf(this.anchor) : -1;
    const to = order.indexOf(id);
    const span = from >= 0 && to >= 0 ? order.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
    for (const each of span) {
      if (tick) next.add(each);
      else next.delete(each);
    }
    this.anchor = id;
    this.ids.set(next);
  }

  selectAll(ids: readonly string[]): void {
    this.ids.set(new Set(ids));
  }

  clear(): void {
    this.anchor = null;
    if (this.ids().size) this.ids.set(new Set());
  }

  /** Photos that left the view leave the selection too: nothing acts on what the host cannot see. */
  keepOnly(ids: readonly string[]): void {
    const present = new Set(ids);
    const current = this.ids();
    if ([...current].every((id) => present.has(id))) return;
    this.ids.set(new Set([...current].filter((id) => present.has(id))));
    if (this.anchor !== null && !present.has(this.anchor)) this.anchor = null;
  }
}
