import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { formatRecoveryCode, normalizeRecoveryCode } from '@photobook/shared';
import type { ClientResult } from '../core/client-result';
import { RealtimeService } from '../core/realtime.service';

export const RECOVERY_CODE_STORAGE_KEY = 'photobook.recoveryCode';

/**
 * This guest's recovery code. The server keeps only its hash and cannot show it again, so the
 * device keeps the last one; a code is only made when the guest asks to see it. Provided per page.
 */
@Injectable()
export class RecoveryCode {
  private readonly realtime = inject(RealtimeService);
  private readonly stored = signal<string | null>(load());

  /** "K7QM-X2RT-9BNW-H", or null when this device has none yet. */
  readonly code = computed(() => {
    const symbols = this.stored();
    return symbols === null ? null : formatRecoveryCode(symbols);
  });

  constructor() {
    // Another tab made a new code: the one shown here stopped working.
    const onStorage = (event: StorageEvent) => {
      if (event.key === RECOVERY_CODE_STORAGE_KEY || event.key === null) this.stored.set(load());
    };
    addEventListener('storage', onStorage);
    inject(DestroyRef).onDestroy(() => removeEventListener('storage', onStorage));
  }

  /** Asks the server for a new code; the previous one stops working. */
  async renew(): Promise<ClientResult<string>> {
    const result = await this.realtime.request('owner:code', {});
    if (!result.ok) return result;
    const symbols = normalizeRecoveryCode(result.value.code) ?? result.value.code;
    save(symbols);
    this.stored.set(symbols);
    return { ok: true, value: formatRecoveryCode(symbols) };
  }
}

/** Storage can be blocked (private mode): then the code lives as long as the page. */
function load(): string | null {
  try {
    return normalizeRecoveryCode(localStorage.getItem(RECOVERY_CODE_STORAGE_KEY));
  } catch {
    return null;
  }
}

function save(symbols: string): void {
  try {
    localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, symbols);
  } catch {
    // The guest still sees the code now and can write it down.
  }
}
