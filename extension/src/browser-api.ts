/**
 * The few WebExtension APIs the extension calls, typed here (no @types/chrome). Chromium's `chrome`
 * and Firefox's `browser` both return promises under Manifest V3; Firefox also answers to `chrome`.
 */
export interface StorageArea {
  get(keys: readonly string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface Listenable<A extends unknown[]> {
  addListener(listener: (...args: A) => void): void;
}

/** What a right-click on an image tells the handler. */
export interface MenuClick {
  readonly menuItemId: string | number;
  readonly srcUrl?: string;
  readonly frameId?: number;
  readonly pageUrl?: string;
}

export interface ScriptInjection<A extends unknown[], R> {
  readonly target: { readonly tabId: number; readonly frameIds?: number[] };
  readonly func: (...args: A) => R;
  readonly args: A;
}

export interface ExtensionApi {
  readonly runtime: {
    getURL(path: string): string;
    openOptionsPage(): Promise<void>;
    getPlatformInfo(): Promise<unknown>;
    readonly onInstalled: Listenable<[]>;
    readonly onStartup: Listenable<[]>;
  };
  readonly action: { readonly onClicked: Listenable<[]> };
  readonly contextMenus: {
    create(properties: { id: string; title: string; contexts: string[] }): unknown;
    removeAll(): Promise<void>;
    readonly onClicked: Listenable<[MenuClick, { readonly id?: number }?]>;
  };
  readonly notifications: {
    create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string }): Promise<string>;
  };
  readonly storage: { readonly sync: StorageArea; readonly local: StorageArea };
  readonly permissions: {
    contains(permissions: { origins: string[] }): Promise<boolean>;
    request(permissions: { origins: string[] }): Promise<boolean>;
  };
  readonly scripting: {
    executeScript<A extends unknown[], R>(injection: ScriptInjection<A, R>): Promise<Array<{ result?: Awaited<R> }>>;
  };
}

/** Firefox's promise-based `browser`, else Chromium's `chrome`. */
export function extensionApi(): ExtensionApi {
  const scope = globalThis as { browser?: ExtensionApi; chrome?: ExtensionApi };
  const api = scope.browser ?? scope.chrome;
  if (!api) throw new Error('Not running as a browser extension.');
  return api;
}
