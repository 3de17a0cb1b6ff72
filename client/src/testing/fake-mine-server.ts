import {
  ErrorCode,
  err,
  normalizeRecoveryCode,
  ok,
  type MyPhotoDto,
  type PhotoUpdateRequest,
  type Result,
} from '@photobook/shared';
import { NO_REPLY, myPhoto, type FakeHandler } from './fake-socket';

/** Codes the fake hands out, in order; each is a valid 13-symbol code. */
export const FAKE_CODES = ['K7QMX2RT9BNWH', 'PQRS2345TVWXY', 'ABCD6789EFGHJ'] as const;

/**
 * Plays the server side of My photos and recovery codes in memory: the guest's photos, edits that
 * take the next seq, deletes, and codes where only the newest one works. `intercept` lets a spec
 * replace any single reply; `others` are photos a recovery code can bring over.
 */
export class FakeMineServer {
  photos: MyPhotoDto[] = [];
  /** Photos of the guest whose code `validCode` is, taken over on a successful owner:recover. */
  others: MyPhotoDto[] = [];
  validCode: string | null = null;
  /** The newest code made by owner:code (symbols only); older ones stop working. */
  currentCode: string | null = null;
  codesMade = 0;
  /** Wrong codes allowed before RATE_LIMITED. */
  triesLeft = 5;
  intercept: FakeHandler | null = null;
  private seq = 100;

  readonly handle: FakeHandler = (event, payload) => {
    const replaced = this.intercept?.(event, payload);
    if (replaced !== undefined) return replaced;
    switch (event) {
      case 'mine:list':
        return ok([...this.photos].sort((a, b) => b.createdAt - a.createdAt));
      case 'photo:update':
        return this.update(payload);
      case 'photo:remove':
        this.photos = this.photos.filter((p) => p.id !== payload.id);
        return ok(null);
      case 'owner:code':
        this.currentCode = FAKE_CODES[this.codesMade++ % FAKE_CODES.length]!;
        return ok({ code: this.currentCode });
      case 'owner:recover':
        return this.recover(payload.code);
      default:
        return NO_REPLY;
    }
  };

  /** Fills the list with photos seq n..1 (newest first). */
  seed(count: number): MyPhotoDto[] {
    this.photos = Array.from({ length: count }, (_, i) => myPhoto(count - i));
    return this.photos;
  }

  private update(request: PhotoUpdateRequest): Result<MyPhotoDto> {
    const index = this.photos.findIndex((p) => p.id === request.id);
    const current = this.photos[index];
    if (!current) return err(ErrorCode.NotFound, 'No such photo.');
    const next: MyPhotoDto = {
      ...current,
      seq: ++this.seq,
      ...(request.caption !== undefined ? { caption: request.caption.trim() } : {}),
      ...(request.author !== undefined ? { author: request.author } : {}),
    };
    this.photos[index] = next;
    return ok(next);
  }

  private recover(code: unknown): Result<{ photos: number }> {
    if (this.triesLeft <= 0) return err(ErrorCode.RateLimited, 'Too many tries.');
    const symbols = normalizeRecoveryCode(code);
    if (symbols === null || symbols !== this.validCode) {
      this.triesLeft--;
      return err(ErrorCode.RecoveryCodeInvalid, 'No such code.');
    }
    this.photos.push(...this.others);
    return ok({ photos: this.others.length });
  }
}
