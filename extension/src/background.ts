import type { NetworkTarget } from '../../client/src/app/upload/core/network-watch';
import { extensionApi, type ExtensionApi } from './browser-api';
import { NOTICE_TEXT } from './notice-text';
import type { ImageSource } from './read-image';
import { sendImage, type Notice } from './send-image';

/**
 * The background: Chromium's service worker, Firefox's event page. Registers the image menu and
 * sends what is clicked. Everything happens in answer to an event, as Manifest V3 requires.
 */
const MENU_ID = 'photobook-send';
/** An extension call resets the service worker's idle timer: a long upload is not cut off at 30 s. */
const KEEP_ALIVE_MS = 20_000;

const api = extensionApi();
let lastNotice: Notice | null = null;

function createMenu(): void {
  void api.contextMenus.removeAll().then(() => api.contextMenus.create({ id: MENU_ID, title: NOTICE_TEXT.menuTitle, contexts: ['image'] }));
}

/** What the menu does with a clicked image; the e2e spec calls it the same way (globalThis.photobook). */
async function send(source: ImageSource): Promise<Notice> {
  const keepAlive = setInterval(() => void api.runtime.getPlatformInfo(), KEEP_ALIVE_MS);
  let notice: Notice;
  try {
    notice = await sendImage({ api, network: globalThis as unknown as NetworkTarget }, source);
  } catch (e) {
    notice = { kind: 'failed', title: NOTICE_TEXT.failedTitle, message: `Something went wrong in Photobook: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    clearInterval(keepAlive);
  }
  lastNotice = notice;
  await notify(api, notice);
  return notice;
}

async function notify(extension: ExtensionApi, notice: Notice): Promise<void> {
  await extension.notifications.create(`photobook-${Date.now()}`, {
    type: 'basic',
    iconUrl: extension.runtime.getURL('icons/icon-128.png'),
    title: notice.title,
    message: notice.message,
  });
}

api.runtime.onInstalled.addListener(createMenu);
api.runtime.onStartup.addListener(createMenu);
api.action.onClicked.addListener(() => void api.runtime.openOptionsPage());
api.contextMenus.onClicked.addListener((click, tab) => {
  if (click.menuItemId !== MENU_ID || !click.srcUrl) return;
  void send({
    url: click.srcUrl,
    ...(tab?.id !== undefined ? { tabId: tab.id } : {}),
    ...(click.frameId !== undefined ? { frameId: click.frameId } : {}),
  });
});

/** For the e2e spec and for debugging from the service worker's console. */
(globalThis as { photobook?: unknown }).photobook = { send, lastNotice: () => lastNotice };
