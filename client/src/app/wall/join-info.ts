import { HttpClient } from '@angular/common/http';
import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import { JOIN_INFO_PATH, JOIN_QR_PATH, type JoinInfo } from '@photobook/shared';

/**
 * Where guests upload. The server knows the address phones can reach (a wall opened on localhost
 * must not advertise "localhost"), so the page origin is only the first guess.
 */
@Injectable()
export class JoinInfoLoader {
  private readonly http = inject(HttpClient);
  private readonly url = signal(`${inject(DOCUMENT).location.origin}/upload`);

  readonly uploadUrl = this.url.asReadonly();
  readonly qrSrc = JOIN_QR_PATH;

  load(): void {
    this.http.get<JoinInfo>(JOIN_INFO_PATH).subscribe({
      next: (info) => {
        if (typeof info?.uploadUrl === 'string' && /^https?:\/\//.test(info.uploadUrl)) this.url.set(info.uploadUrl);
      },
      // Keep the page-origin guess: the wall must work even if this request fails.
      error: () => undefined,
    });
  }
}
