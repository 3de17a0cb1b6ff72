import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import type { MyPhotoDto, PhotoDto } from '@photobook/shared';

/** A photo the viewer shows: from the wall, or one of the guest's own with where it stands. */
export type ViewerPhoto = PhotoDto & { readonly state?: MyPhotoDto['state'] };

/** What a screen reader hears for the photo itself. */
export function altText(photo: Pick<PhotoDto, 'caption' | 'author'>): string {
  const caption = photo.caption.trim();
  const author = photo.author.trim();
  if (caption) return author ? `${caption}, by ${author}` : caption;
  return author ? `Photo by ${author}` : 'Photo from a guest';
}

const UNAVAILABLE: Record<MyPhotoDto['state'], string> = {
  visible: 'This photo could not be loaded. Check your connection.',
  pending: 'Your photo shows here once the host approves it.',
  hidden: 'The host took this photo off the wall, so it cannot be shown.',
};

/**
 * One photo at its own shape, as large as the screen allows: the thumbnail at once (usually
 * cached from the grid), the display image over it once decoded. An image that will not load
 * (gone, or not public yet) leaves a short explanation instead of a broken picture.
 */
@Component({
  selector: 'app-viewer-photo',
  template: `
    <div class="frame" [style.--ratio]="ratio()" data-testid="viewer-frame">
      @if (!thumbFailed()) {
        <img class="thumb" [src]="photo().thumbUrl" alt="" (error)="thumbFailed.set(true)" />
      }
      @if (!displayFailed()) {
        <img
          class="display"
          data-testid="viewer-image"
          [class.ready]="ready()"
          [src]="photo().displayUrl"
          [alt]="alt()"
          decoding="async"
          (load)="ready.set(true)"
          (error)="displayFailed.set(true)"
        />
      } @else {
        <p class="unavailable" data-testid="viewer-unavailable">{{ unavailable() }}</p>
      }
    </div>
  `,
  styles: `
    :host {
      display: grid;
      place-items: center;
      width: 100%;
      height: 100%;
    }
    .frame {
      position: relative;
      aspect-ratio: var(--ratio);
      width: min(100vw, calc(100dvh * var(--ratio)));
      max-height: 100dvh;
      background: #1d1a18;
    }
    img {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: contain;
      -webkit-user-drag: none;
      user-select: none;
    }
    .display {
      opacity: 0;
      transition: opacity 160ms ease-out;
    }
    .display.ready {
      opacity: 1;
    }
    .unavailable {
      position: absolute;
      inset: auto 1rem 50%;
      transform: translateY(50%);
      margin: 0;
      padding: 0.75rem 1rem;
      border-radius: 0.75rem;
      background: rgb(0 0 0 / 0.7);
      color: #fff;
      text-align: center;
    }
    @media (prefers-reduced-motion: reduce) {
      .display {
        transition: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ViewerPhotoFrame {
  readonly photo = input.required<ViewerPhoto>();

  protected readonly ready = signal(false);
  protected readonly displayFailed = signal(false);
  protected readonly thumbFailed = signal(false);
  protected readonly alt = computed(() => altText(this.photo()));
  protected readonly ratio = computed(() => {
    const { width, height } = this.photo();
    return width > 0 && height > 0 ? width / height : 4 / 3;
  });
  protected readonly unavailable = computed(() => UNAVAILABLE[this.photo().state ?? 'visible'] ?? UNAVAILABLE.visible);
}
