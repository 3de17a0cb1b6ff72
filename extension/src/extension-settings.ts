import type { ExtensionApi, StorageArea } from './browser-api';

/** What the options page keeps: the event's origin (normalised) and the name shown with photos. */
export interface ExtensionSettings {
  /** null until the guest saves an address. */
  readonly address: string | null;
  readonly author: string;
}

const KEYS = ['address', 'author'] as const;

/**
 * storage.sync follows the guest to their other computers; it throws where sync is off (e.g.
 * Firefox without an account, or policy), and storage.local then holds the settings.
 */
async function withArea<T>(api: ExtensionApi, use: (area: StorageArea) => Promise<T>): Promise<T> {
  try {
    return await use(api.storage.sync);
  } catch {
    return use(api.storage.local);
  }
}

export async function loadSettings(api: ExtensionApi): Promise<ExtensionSettings> {
  const stored = await withArea(api, (area) => area.get(KEYS));
  const address = stored['address'];
  const author = stored['author'];
  return {
    address: typeof address === 'string' && address ? address : null,
    author: typeof author === 'string' ? author : '',
  };
}

export function saveSettings(api: ExtensionApi, settings: ExtensionSettings): Promise<void> {
  return withArea(api, (area) => area.set({ address: settings.address ?? '', author: settings.author }));
}
