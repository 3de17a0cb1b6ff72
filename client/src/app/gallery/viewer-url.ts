import { DestroyRef, Injectable, inject } from '@angular/core';
import { Location } from '@angular/common';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { map } from 'rxjs';

/**
 * Which photo the viewer shows, kept in the page's URL (?photo=ID): a reload reopens it and the
 * phone's back gesture closes it. Opening adds a history entry; moving to another photo replaces
 * it (back closes the viewer rather than stepping back through every photo seen); closing goes back
 * to the entry before, or, when the page was opened on a photo's URL, replaces it. Provided per page.
 */
@Injectable()
export class ViewerUrl {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly location = inject(Location);
  /** This page added the entry the viewer is on, so going back closes it. */
  private pushed = false;

  /** The open photo's id, or null. */
  readonly openId = toSignal(this.route.queryParamMap.pipe(map((params) => params.get('photo'))), { initialValue: null });

  constructor() {
    // A back gesture took the viewer's entry away.
    const subscription = this.location.subscribe(() => (this.pushed = false));
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  open(id: string): void {
    this.pushed = this.openId() === null || this.pushed;
    void this.router.navigate([], { relativeTo: this.route, queryParams: { photo: id }, queryParamsHandling: 'merge', replaceUrl: this.openId() !== null });
  }

  close(): void {
    if (this.openId() === null) return;
    if (this.pushed) {
      this.pushed = false;
      this.location.back();
      return;
    }
    void this.router.navigate([], { relativeTo: this.route, queryParams: { photo: null }, queryParamsHandling: 'merge', replaceUrl: true });
  }
}
