import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * The whole screen for guests who have not joined yet: the QR code more than half the screen high
 * (it scans from the back of a hall), the event's title, one line of invitation and the address to
 * type in large letters. The show brings it in every few minutes and when it idles, fading in and out
 * like a slide; a wall with no photos yet shows it all the time. While uploads are paused it says so
 * instead, with no code; with the code turned off it only invites to look.
 */
@Component({
  selector: 'app-join-screen',
  templateUrl: './join-screen.html',
  styleUrl: './join-screen.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[style.--address-chars]': 'address().length', '[class.leaving]': 'leaving()', '[class.lowpower]': 'lowPower()', '[class.with-qr]': '!!qrSrc() && !paused()' },
})
export class JoinScreen {
  readonly title = input('');
  /** The code's image; null: the host hides the code. */
  readonly qrSrc = input<string | null>(null);
  readonly address = input('');
  /** Uploads are paused: the host's message instead of the code. */
  readonly paused = input(false);
  readonly pauseMessage = input('');
  /** No photos yet: the screen also says what happens next. */
  readonly empty = input(false);
  readonly leaving = input(false);
  readonly lowPower = input(false);

  /** The address in two pieces, so a line too narrow for it breaks before the path, never inside a word. */
  protected readonly addressParts = computed(() => {
    const address = this.address();
    const slash = address.indexOf('/');
    return slash > 0 ? [address.slice(0, slash), address.slice(slash)] : [address, ''];
  });
}
