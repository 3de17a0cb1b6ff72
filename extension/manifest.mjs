// The one source of both manifests (Manifest V3). scripts/build-extension.mjs writes one per browser.

export const TARGETS = /** @type {const} */ (['chromium', 'firefox']);

/** Firefox needs an add-on id; any stable one in email form does. */
export const GECKO_ID = 'send-to-wall@photobook.app';

export const ICON_SIZES = [16, 32, 48, 128];

/**
 * @param {'chromium' | 'firefox'} target
 * @param {string} version
 */
export function manifestFor(target, version) {
  const icons = Object.fromEntries(ICON_SIZES.map((size) => [String(size), `icons/icon-${size}.png`]));
  const common = {
    manifest_version: 3,
    name: 'Photobook: send to the wall',
    short_name: 'Photobook',
    version,
    description: 'Right-click any image on the web to send it to your event’s Photobook photo wall.',
    icons,
    action: { default_title: 'Photobook: set the event’s address', default_icon: icons },
    // activeTab + scripting: the clicked page may read an image the extension itself may not fetch.
    permissions: ['contextMenus', 'notifications', 'storage', 'activeTab', 'scripting'],
    // Asked for at run time, for the one event's host the guest enters in the options.
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    options_ui: { page: 'options.html', open_in_tab: true },
  };
  if (target === 'chromium') {
    return { ...common, background: { service_worker: 'background.js' }, minimum_chrome_version: '120' };
  }
  return {
    ...common,
    // Firefox runs MV3 backgrounds as event pages, not service workers.
    background: { scripts: ['background.js'] },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        // data_collection_permissions (which AMO asks of new add-ons) needs 140 on desktop and 142 on
        // Android; 142 keeps web-ext lint free of warnings.
        strict_min_version: '142.0',
        // Nothing leaves the browser but the image the guest sends to their own event's server.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
