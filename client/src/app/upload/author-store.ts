import { Injectable } from '@angular/core';

export const AUTHOR_STORAGE_KEY = 'photobook.author';

/** Remembers the guest's name on this device. Storage can be blocked (private mode): then we just forget. */
@Injectable({ providedIn: 'root' })
export class AuthorStore {
  load(): string {
    try {
      return localStorage.getItem(AUTHOR_STORAGE_KEY) ?? '';
    } catch {
      return '';
    }
  }

  save(name: string): void {
    try {
      if (name.trim()) localStorage.setItem(AUTHOR_STORAGE_KEY, name);
      else localStorage.removeItem(AUTHOR_STORAGE_KEY);
    } catch {
      // Not remembering the name is harmless.
    }
  }
}
