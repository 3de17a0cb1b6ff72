/**
 * The event's address as a guest types it into the options: "party.example.com",
 * "http://192.168.1.20:3000", or the link the QR code opens. Pure, so a unit spec checks it.
 */
export type EventAddress = {
  /** Scheme, host and port only: the app serves its pages and its socket from the root. */
  readonly origin: string;
  /** The host permission to ask for (match patterns take no port, so this covers every port of the host). */
  readonly pattern: string;
};

export type AddressResult = { readonly ok: true; readonly value: EventAddress } | { readonly ok: false; readonly message: string };

const EXAMPLE = 'e.g. https://party.example.com or http://192.168.1.20:3000';

/** Hosts a party laptop answers on: plain http is the norm there, https everywhere else. */
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[[0-9a-f:.]+\]|[^/:]+\.(local|lan|home\.arpa))(:\d+)?(\/|$)/i;

export function parseEventAddress(input: string): AddressResult {
  const typed = input.trim();
  if (!typed) return { ok: false, message: `Enter the event’s address, ${EXAMPLE}.` };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `${LOCAL_HOST.test(typed) ? 'http' : 'https'}://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: `That doesn’t look like a web address: ${EXAMPLE}.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `The address must start with http:// or https://, ${EXAMPLE}.` };
  }
  if (url.username || url.password) return { ok: false, message: 'Leave the user name and password out of the address.' };
  if (!url.hostname || /\s/.test(typed)) return { ok: false, message: `That doesn’t look like a web address: ${EXAMPLE}.` };
  return { ok: true, value: { origin: url.origin, pattern: `${url.protocol}//${url.hostname}/*` } };
}
