import type { Routes } from '@angular/router';
import { AdminShell } from './admin-shell';
import { ApprovalQueue } from './approval-queue';
import { PhotoGrid } from './photo-grid';
import { PrintPage } from './print-page';
import { SettingsForm } from './settings-form';
import { StatsPanel } from './stats-panel';

/** The host's console, one lazy chunk: the shell signs in, then each view has its own address. */
export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    component: AdminShell,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'photos' },
      { path: 'photos', title: 'Photos · Host console', component: PhotoGrid },
      { path: 'queue', title: 'Approval queue · Host console', component: ApprovalQueue },
      { path: 'settings', title: 'Settings · Host console', component: SettingsForm },
      { path: 'print', title: 'Print · Host console', component: PrintPage },
      { path: 'stats', title: 'Stats · Host console', component: StatsPanel },
      { path: '**', redirectTo: 'photos' },
    ],
  },
];
