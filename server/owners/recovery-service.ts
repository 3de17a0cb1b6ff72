import { randomInt } from 'node:crypto';
import {
  ErrorCode,
  RECOVERY_ALPHABET,
  RECOVERY_CODE_LENGTH,
  err,
  formatRecoveryCode,
  normalizeRecoveryCode,
  ok,
  type Result,
} from '@photobook/shared';
import type { AttemptLimiter } from '../limits/attempt-limiter';
import type { OwnerStore, PhotoStore } from '../store/types';
import type { OwnerKeys } from './owner-keys';

export interface RecoveryDeps {
  readonly store: PhotoStore & OwnerStore;
  readonly keys: OwnerKeys;
  /** Wrong codes per browser, and per IP (guests share the venue's Wi-Fi, so that one is looser). */
  readonly perBrowser: AttemptLimiter;
  readonly perIp: AttemptLimiter;
  readonly now: () => number;
}

export interface Recovered {
  /** The owner this browser now stands for. */
  readonly ownerId: string;
  readonly photos: number;
}

const limited = <T>() => err<T>(ErrorCode.RateLimited, 'Too many wrong codes. Please wait a few minutes, then try again.');

/**
 * Recovery codes: 13 symbols drawn uniformly (randomInt) from 30, about 64 bits, so guessing is
 * hopeless even before the limits; the store keeps only a keyed hash.
 */
export class RecoveryService {
  constructor(private readonly deps: RecoveryDeps) {}

  /** A new code for the owner; the previous one stops working. */
  async newCode(ownerId: string): Promise<Result<{ code: string }>> {
    let symbols = '';
    for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) symbols += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    await this.deps.store.setRecoveryCode(ownerId, this.deps.keys.codeHash(symbols), this.deps.now());
    return ok({ code: formatRecoveryCode(symbols) });
  }

  /** Links the browser (its own key, not what it resolves to) to the code's owner. */
  async recover(browserKey: string, ip: string, input: unknown): Promise<Result<Recovered>> {
    const { perBrowser, perIp, store, keys } = this.deps;
    if ((await perBrowser.blocked(browserKey)) || (await perIp.blocked(ip))) return limited();
    const code = typeof input === 'object' && input !== null ? normalizeRecoveryCode((input as Record<string, unknown>)['code']) : null;
    const ownerId = code === null ? null : await store.recoverOwner(browserKey, keys.codeHash(code));
    if (ownerId === null) {
      await Promise.all([perBrowser.failed(browserKey), perIp.failed(ip)]);
      return err(ErrorCode.RecoveryCodeInvalid, 'That code does not match any photos.');
    }
    const photos = (await store.listOwnPhotos(ownerId, 10_000)).length;
    return ok({ ownerId, photos });
  }
}
