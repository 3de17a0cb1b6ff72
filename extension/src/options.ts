import { ErrorCode, MAX_AUTHOR_GRAPHEMES, exceedsGraphemes } from '@photobook/shared';
import { messageForCode } from '../../client/src/app/core/error-messages';
import { extensionApi } from './browser-api';
import { EventConnection } from './event-connection';
import { parseEventAddress, type EventAddress } from './event-address';
import { loadSettings, saveSettings } from './extension-settings';
import { NOTICE_TEXT } from './notice-text';

/** The options page: the event's address (checked, normalised, its host permission asked) and the guest's name. */
const api = extensionApi();
const form = document.getElementById('settings') as HTMLFormElement;
const addressInput = document.getElementById('address') as HTMLInputElement;
const authorInput = document.getElementById('author') as HTMLInputElement;
const status = document.getElementById('status') as HTMLParagraphElement;
const CHECK_TIMEOUT_MS = 8_000;

function show(text: string, tone: 'ok' | 'bad' | '' = ''): void {
  status.textContent = text;
  status.className = `status ${tone}`.trim();
}

async function init(): Promise<void> {
  const settings = await loadSettings(api);
  authorInput.value = settings.author;
  if (settings.address === null) return;
  addressInput.value = settings.address;
  const parsed = parseEventAddress(settings.address);
  if (parsed.ok && !(await api.permissions.contains({ origins: [parsed.value.pattern] }))) {
    show(`Press Save to let Photobook reach ${parsed.value.origin}.`, 'bad');
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const parsed = parseEventAddress(addressInput.value);
  addressInput.setAttribute('aria-invalid', String(!parsed.ok));
  if (!parsed.ok) {
    show(parsed.message, 'bad');
    addressInput.focus();
    return;
  }
  const author = authorInput.value.trim();
  if (exceedsGraphemes(author, MAX_AUTHOR_GRAPHEMES)) {
    show(messageForCode(ErrorCode.AuthorTooLong), 'bad');
    authorInput.focus();
    return;
  }
  addressInput.value = parsed.value.origin;
  // The browser asks only within the click itself: request before anything is awaited.
  const asking = api.permissions.request({ origins: [parsed.value.pattern] }).catch(() => false);
  void save(asking, parsed.value, author);
});

async function save(asking: Promise<boolean>, address: EventAddress, author: string): Promise<void> {
  const granted = await asking;
  await saveSettings(api, { address: address.origin, author });
  if (!granted) {
    show(`Saved, but Photobook may not reach ${address.origin} yet: press Save again and choose Allow.`, 'bad');
    return;
  }
  show('Saved. Checking the wall…');
  // This first request also gives the browser its guest cookie for the event, as opening the site would.
  const connection = EventConnection.open(address.origin);
  try {
    const event = await connection.settings(CHECK_TIMEOUT_MS);
    if (event === null) show(NOTICE_TEXT.unreachable(address.origin), 'bad');
    else show(`Connected to ${event.title ? `“${event.title}”` : address.origin}. Right-click any image and choose “${NOTICE_TEXT.menuTitle}”.`, 'ok');
  } finally {
    connection.close();
  }
}

void init();
