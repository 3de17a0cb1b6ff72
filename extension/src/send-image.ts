import { ErrorCode, SNIFF_BYTES, sniffImageType, type PublicSettings, type SniffedType } from '@photobook/shared';
import { ClientErrorCode } from '../../client/src/app/core/client-result';
import { messageFor, messageForCode, tooLargeMessage } from '../../client/src/app/core/error-messages';
import { randomJitter } from '../../client/src/app/upload/core/retry-delay';
import { NetworkWatch, type NetworkTarget } from '../../client/src/app/upload/core/network-watch';
import { DEFAULT_UPLOAD_TUNING, type UploadOutcome, type UploadTuning } from '../../client/src/app/upload/core/upload-job';
import { UploadRunner } from '../../client/src/app/upload/core/upload-runner';
import { newClientUploadId } from '../../client/src/app/upload/client-upload-id';
import type { ExtensionApi } from './browser-api';
import { EventConnection } from './event-connection';
import { parseEventAddress } from './event-address';
import { loadSettings } from './extension-settings';
import { NOTICE_TEXT } from './notice-text';
import { imageName, readImage, type ImageSource } from './read-image';

/** What the guest is told once a send ends: shown as a notification, returned to specs. */
export interface Notice {
  readonly kind: 'sent' | 'pending' | 'failed' | 'setup';
  readonly title: string;
  readonly message: string;
}

export interface SendDeps {
  readonly api: ExtensionApi;
  /** The service worker's global scope (or a page's window): navigator.onLine and its events. */
  readonly network: NetworkTarget;
  readonly connect?: (origin: string) => EventConnection;
  readonly tuning?: UploadTuning;
  /** A send gives up after this long (a service worker is not kept alive for ever). */
  readonly deadlineMs?: number;
}

const SETTINGS_TIMEOUT_MS = 10_000;
const DEADLINE_MS = 4 * 60_000;
/** What the wall shows (UP8), with the type the upload declares. */
const MIME = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' } as const;
type SendableType = keyof typeof MIME;

const failed = (message: string): Notice => ({ kind: 'failed', title: NOTICE_TEXT.failedTitle, message });

/**
 * Sends one image the guest right-clicked to the event's wall, as the phone would send a picked
 * photo: same checks against the server's settings, same protocol (UploadRunner), same sentences.
 * The photo belongs to this browser's guest cookie, so "My photos" in this browser lists it.
 */
export async function sendImage(deps: SendDeps, source: ImageSource): Promise<Notice> {
  const { api } = deps;
  const settings = await loadSettings(api);
  const address = settings.address === null ? null : parseEventAddress(settings.address);
  if (address === null || !address.ok) {
    await api.runtime.openOptionsPage();
    return { kind: 'setup', title: NOTICE_TEXT.setupTitle, message: NOTICE_TEXT.setupMessage };
  }
  const { origin, pattern } = address.value;
  if (!(await api.permissions.contains({ origins: [pattern] }))) {
    // Without it the browser would send no guest cookie: the photo would belong to nobody here.
    await api.runtime.openOptionsPage();
    return { kind: 'setup', title: NOTICE_TEXT.permissionTitle, message: NOTICE_TEXT.permissionMessage(origin) };
  }
  const connection = (deps.connect ?? EventConnection.open)(origin);
  try {
    const event = await connection.settings(SETTINGS_TIMEOUT_MS);
    if (event === null) return failed(NOTICE_TEXT.unreachable(origin));
    if (event.paused) return failed(messageFor({ code: ErrorCode.UploadsPaused, message: event.pauseMessage }));
    const image = await readImage(api, source, event.maxUploadBytes);
    if (!image.ok) return failed('tooLarge' in image ? tooLargeMessage(image.tooLarge, event.maxUploadBytes) : image.message);
    const refusal = await checkImage(image.blob, event);
    if (typeof refusal === 'string') return failed(refusal);
    const runner = new UploadRunner({
      connection,
      network: new NetworkWatch(deps.network),
      tuning: deps.tuning ?? DEFAULT_UPLOAD_TUNING,
      jitter: randomJitter,
    });
    const outcome = await runner.upload(
      {
        file: new Blob([image.blob], { type: MIME[refusal.type] }),
        name: imageName(source.url, refusal.type),
        clientUploadId: newClientUploadId(),
        caption: '',
        author: settings.author,
      },
      {},
      AbortSignal.timeout(deps.deadlineMs ?? DEADLINE_MS),
    );
    return noticeOf(outcome, (await connection.settings(0)) ?? event);
  } finally {
    connection.close();
  }
}

/** The phone's checks before sending: empty, too large for the host, not a photo the wall shows. */
async function checkImage(blob: Blob, event: PublicSettings): Promise<string | { readonly type: SendableType }> {
  if (blob.size === 0) return messageForCode(ErrorCode.EmptyFile);
  if (blob.size > event.maxUploadBytes) return tooLargeMessage(blob.size, event.maxUploadBytes);
  const type = sniffImageType(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
  if (type === 'heic') return messageForCode(ErrorCode.HeicUnsupported);
  return isSendable(type) ? { type } : messageForCode(ErrorCode.UnsupportedType);
}

function isSendable(type: SniffedType | null): type is SendableType {
  return type !== null && type in MIME;
}

function noticeOf(outcome: UploadOutcome, event: PublicSettings): Notice {
  if (outcome.kind === 'done') {
    return event.approvalRequired
      ? { kind: 'pending', title: NOTICE_TEXT.approvalTitle, message: NOTICE_TEXT.approvalMessage }
      : { kind: 'sent', title: NOTICE_TEXT.sentTitle, message: NOTICE_TEXT.sentMessage(event.title) };
  }
  // Cancelled only by the deadline: the connection never let the photo through.
  return failed(outcome.kind === 'failed' ? messageFor(outcome.error) : messageForCode(ClientErrorCode.Network));
}
