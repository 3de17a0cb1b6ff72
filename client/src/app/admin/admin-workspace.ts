import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { AdminConsole } from './admin-console';
import { AdminHeader } from './admin-header';
import { PhotoGridStore } from './photo-grid-store';
import { QueueStore } from './queue-store';

/**
 * The signed-in console: header, navigation and the current view. Its stores live as long as the
 * session does, so switching views keeps the grid's filter and scroll-loaded pages.
 */
@Component({
  selector: 'app-admin-workspace',
  imports: [RouterOutlet, RouterLink, AdminHeader],
  providers: [PhotoGridStore, QueueStore],
  templateUrl: './admin-workspace.html',
  styleUrls: ['./admin-controls.css', './admin-workspace.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminWorkspace {
  protected readonly console = inject(AdminConsole);
  protected readonly waiting = computed(() => this.console.stats()?.photos.pending ?? 0);
  private readonly router = inject(Router);
  /** The view shown ('photos', 'queue', ...). RouterLinkActive would do this, but would grow every page's bundle. */
  protected readonly section = signal(sectionOf(this.router.url));

  constructor() {
    const subscription = this.router.events.subscribe((event) => {
      if (event instanceof NavigationEnd) this.section.set(sectionOf(event.urlAfterRedirects));
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }
}

/** '/admin/queue?x' -> 'queue' */
function sectionOf(url: string): string {
  return url.split(/[?#]/)[0]?.split('/')[2] ?? '';
}
