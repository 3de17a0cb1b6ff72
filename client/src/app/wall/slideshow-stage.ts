import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { PhotoDto } from '@photobook/shared';
import { altText } from './photo-text';
import type { Slide } from './stage-state';

/**
 * One photo full screen. A new slide fades in over the one before (which then leaves the DOM), its
 * image slowly pans and zooms, and a photo that does not fill the screen sits on a blurred,
 * darkened copy of itself instead of black bars.
 */
@Component({
  selector: 'app-slideshow-stage',
  templateUrl: './slideshow-stage.html',
  styleUrl: './slideshow-stage.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[style.--slide-ms]': "slideMs() + 'ms'", '[class.lowpower]': 'lowPower()' },
})
export class SlideshowStage {
  readonly slides = input.required<readonly Slide[]>();
  readonly captions = input(true);
  readonly slideMs = input(8_000);
  readonly lowPower = input(false);

  protected alt(photo: PhotoDto): string {
    return altText(photo, this.captions());
  }
}
