import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * "Add your photos" over the show: the QR code 27% of the screen high, quiet zone included (292 px
 * at 1080p, about 9 px per module, where 194 px scanned from 3 m only), and the short address under
 * it. In the bottom right corner over a slideshow; in its own cell of a mosaic, where only the
 * address goes with it (the cell is a third of the screen high). While uploads are paused it shows
 * the host's message in the same place instead: no code invites to upload then.
 */
@Component({
  selector: 'app-join-card',
  template: `
    @if (paused()) {
      <!-- Read as one sentence ("Uploads are paused — …"), shown as a heading and a line. -->
      <p class="paused" data-testid="wall-paused" role="status">
        <strong>Uploads are paused</strong>
        @if (pauseMessage()) {
          <span class="dash"> — </span><span class="message">{{ pauseMessage() }}</span>
        }
      </p>
    } @else {
      @if (!stacked()) {
        <strong class="label">Add your photos</strong>
      }
      <img class="qr" [src]="qrSrc()" alt="QR code for the upload page" data-testid="join-qr" />
      <span class="url">{{ address() }}</span>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 1vh;
      padding: 1.4vh;
      border-radius: 1.6vh;
      text-align: center;
      background: rgb(12 11 14 / 0.72);
      backdrop-filter: blur(8px);
      -webkit-backdrop-filter: blur(8px);
      color: #f4efe8;
    }
    /* A mosaic's cell: the code as large as the cell allows, up to the corner's size. */
    :host(.stacked) {
      justify-content: center;
      container-type: size;
      background: #15131a;
      backdrop-filter: none;
      -webkit-backdrop-filter: none;
    }
    :host(.lowpower) {
      backdrop-filter: none;
      -webkit-backdrop-filter: none;
      background: rgb(12 11 14 / 0.85);
    }
    :host(.paused-card) {
      max-width: 30vw;
      padding: 2vh 1.6vw;
    }
    .label {
      font-size: max(1.6vw, 1rem);
      color: #fff;
    }
    .url {
      max-width: 32vw;
      color: #fff;
      font-weight: 600;
      font-size: max(1.3vw, 0.9rem);
      overflow-wrap: anywhere;
    }
    .qr {
      width: 27vh;
      height: 27vh;
      border-radius: 1vh;
      background: #fff;
    }
    :host(.stacked) .qr {
      width: min(27vh, calc(100cqh - 4.2vh));
      height: min(27vh, calc(100cqh - 4.2vh));
    }
    .paused {
      margin: 0;
      color: #f4efe8;
      font-size: max(1.4vw, 1rem);
      overflow-wrap: anywhere;
    }
    .paused strong {
      display: block;
      color: #f0d9b0;
      font-size: max(1.8vw, 1.1rem);
    }
    .dash {
      display: none;
    }
    .message {
      display: block;
      margin-top: 0.6vh;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[attr.data-testid]': "paused() ? null : 'join-hint'",
    '[class.stacked]': 'stacked()',
    '[class.lowpower]': 'lowPower()',
    '[class.paused-card]': 'paused()',
  },
})
export class JoinCard {
  readonly qrSrc = input.required<string>();
  readonly address = input.required<string>();
  readonly stacked = input(false);
  readonly lowPower = input(false);
  /** Uploads are paused: the host's message instead of the code. */
  readonly paused = input(false);
  readonly pauseMessage = input('');
}
