import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AdminConsole } from './admin-console';
import { AdminWorkspace } from './admin-workspace';
import { SignIn } from './sign-in';

/** /admin: checks the session, then shows the sign-in card or the console. */
@Component({
  selector: 'app-admin-shell',
  imports: [SignIn, AdminWorkspace],
  providers: [AdminConsole],
  template: `
    @switch (console.phase()) {
      @case ('checking') {
        <p class="checking" role="status" data-testid="admin-checking">Opening the console…</p>
      }
      @case ('signed-out') {
        <app-sign-in />
      }
      @case ('signed-in') {
        <app-admin-workspace />
      }
    }
  `,
  styleUrl: './admin-shell.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminShell {
  protected readonly console = inject(AdminConsole);
}
