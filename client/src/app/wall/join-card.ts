import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** "http://192.168.1.20:3000/upload" -> "192.168.1.20:3000/upload": shorter to read and type off a wall. */
export function shortAddress(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/**
 * "Add your photos": the QR code (at least 18% of the screen's height, so it scans from several
 * metres) and the short address. Beside the code over a slideshow; under it in a mosaic's cell.
 */
@Component({
  selector: 'app-join-card',
  template: `
    <div class="text">
      <strong>Add your photos</strong>
      <span class="muted">Scan, or open</span>
      <span class="url">{{ address() }}</span>
    </div>
    <img class="qr" [src]="qrSrc()" alt="QR code for the upload page" data-testid="join-qr" />
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
      gap: 1.2vw;
      padding: 1.2vh 1.2vh 1.2vh 1.6vw;
      border-radius: 1.6vh;
      background: rgb(12 11 14 / 0.72);
      backdrop-filter: blur(8px);
      -webkit-backdrop-filter: blur(8px);
      color: #f4efe8;
    }
    :host(.stacked) {
      flex-direction: column-reverse;
      justify-content: center;
      gap: 1.6vh;
      padding: 2vh 1vw;
      text-align: center;
      background: #15131a;
      backdrop-filter: none;
      -webkit-backdrop-filter: none;
    }
    :host(.lowpower) {
      backdrop-filter: none;
      -webkit-backdrop-filter: none;
      background: rgb(12 11 14 / 0.85);
    }
    .text {
      display: flex;
      flex-direction: column;
      gap: 0.5vh;
      font-size: max(1.1vw, 0.85rem);
    }
    strong {
      font-size: max(1.5vw, 1rem);
      color: #fff;
    }
    .muted {
      color: #cfc7bd;
    }
    .url {
      color: #fff;
      font-weight: 600;
      font-size: max(1.25vw, 0.9rem);
      overflow-wrap: anywhere;
    }
    .qr {
      width: 18vh;
      height: 18vh;
      padding: 0.8vh;
      border-radius: 1vh;
      background: #fff;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'join-hint', '[class.stacked]': 'stacked()', '[class.lowpower]': 'lowPower()' },
})
export class JoinCard {
  readonly qrSrc = input.required<string>();
  readonly address = input.required<string>();
  readonly stacked = input(false);
  readonly lowPower = input(false);
}
