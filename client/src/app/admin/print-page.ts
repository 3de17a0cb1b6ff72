import { ChangeDetectionStrategy, Component } from '@angular/core';
import { BookPanel } from './book-panel';
import { TableCardPanel } from './table-card-panel';

/**
 * What the host prints: the photo book after the party, and the cards that bring guests in during it.
 * Each is its own panel (component) on this page.
 */
@Component({
  selector: 'app-print-page',
  imports: [BookPanel, TableCardPanel],
  template: `
    <h1 class="visually-hidden">Print</h1>
    <!-- panels: <app-book-panel /> (the photo book), <app-table-card-panel /> (table cards) -->
    <app-book-panel />
    <app-table-card-panel />
  `,
  styles: `
    :host { display: grid; gap: 1.5rem; align-content: start; max-width: 60rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrintPage {}
