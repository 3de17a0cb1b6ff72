import { ErrorCode } from '@photobook/shared';
import { ClientErrorCode } from './client-result';
import { messageFor, messageForCode, messageForCodeIn, tooLargeMessage } from './error-messages';

describe('error messages', () => {
  const allCodes = [...Object.values(ErrorCode), ...Object.values(ClientErrorCode)];

  it('gives every error code its own human sentence', () => {
    for (const code of allCodes) {
      const message = messageForCode(code);
      expect(message).withContext(code).toMatch(/\w+.*[.!?…)]$/);
      expect(message).withContext(code).not.toContain(code);
    }
    const distinct = new Set(allCodes.map(messageForCode));
    expect(distinct.size).toBe(allCodes.length);
  });

  it('tells iPhone users how to send a HEIC photo as JPEG', () => {
    expect(messageForCode(ErrorCode.HeicUnsupported)).toMatch(/Most Compatible/i);
    expect(messageForCode(ErrorCode.HeicUnsupported)).toContain('JPEG');
  });

  it('lists the formats the wall can show for an unsupported file', () => {
    expect(messageForCode(ErrorCode.UnsupportedType)).toBe(
      "That file isn't a photo we can show (JPEG, PNG, WebP or GIF).",
    );
  });

  it("shows the organiser's own words when uploads are paused", () => {
    const paused = { code: ErrorCode.UploadsPaused, message: 'Speeches now, back at 9pm!' };
    expect(messageFor(paused)).toBe('Speeches now, back at 9pm!');
    expect(messageFor({ code: ErrorCode.UploadsPaused, message: ' ' })).toBe(
      messageForCode(ErrorCode.UploadsPaused),
    );
  });

  it('hides technical server wording behind the friendly sentence for other codes', () => {
    const internal = { code: ErrorCode.Internal, message: 'driver said: database is locked' };
    expect(messageFor(internal)).toBe(messageForCode(ErrorCode.Internal));
  });

  it('asks the guest to retype a caption or name whose characters carry too many accents', () => {
    expect(messageForCode(ErrorCode.TooManyMarks)).toBe(
      'Some characters in the caption or name are stacked with too many accents. Please retype it.',
    );
  });

  it('says a photo waits on the phone while the wall’s storage is full, instead of calling it a failure', () => {
    const message = messageFor({ code: ErrorCode.StorageFull, message: 'free bytes below reserve' });
    expect(message).toContain('stays queued on this phone');
    expect(message).toContain('keep this page open');
    expect(message).not.toContain('reserve');
  });

  it('explains a lost connection', () => {
    expect(messageFor({ code: ClientErrorCode.Network, message: 'timeout' })).toMatch(/connection/i);
  });

  it('never tells a guest on My photos to tap Upload or pick a photo again', () => {
    const mineCodes = [
      ErrorCode.BadRequest, ErrorCode.CaptionTooLong, ErrorCode.AuthorTooLong, ErrorCode.TooManyMarks,
      ErrorCode.RateLimited, ErrorCode.NotFound, ErrorCode.RecoveryCodeInvalid, ErrorCode.Internal, ClientErrorCode.Network,
    ];
    for (const code of mineCodes) {
      expect(messageForCodeIn(code, 'mine')).withContext(code).not.toMatch(/tap Upload|pick (it|the photo) again/i);
    }
    expect(messageFor({ code: ErrorCode.RateLimited, message: '' }, 'mine')).toMatch(/wait a minute/);
    expect(messageForCodeIn(ErrorCode.CaptionTooLong, 'mine')).toBe(messageForCode(ErrorCode.CaptionTooLong));
  });

  it('tells a busy server and a blocked phone apart, without blaming the guest', () => {
    expect(messageForCode(ErrorCode.ServerBusy)).toBe('The server is busy; your photo will go out shortly by itself.');
    expect(messageForCode(ErrorCode.GuestBlocked)).toBe('The host has stopped uploads from this phone.');
  });

  it("says how big a refused photo is and what the host accepts, never making the two look equal", () => {
    const MB = 1024 * 1024;
    expect(tooLargeMessage(62 * MB, 50 * MB)).toBe('This photo is 62 MB; the host accepts up to 50 MB.');
    expect(tooLargeMessage(50 * MB + 1, 50 * MB)).toBe('This photo is 51 MB; the host accepts up to 50 MB.');
    expect(tooLargeMessage(2.04 * MB, 1.5 * MB)).toBe('This photo is 2.1 MB; the host accepts up to 1.5 MB.');
    expect(tooLargeMessage(300 * 1024, 200 * 1024)).toBe('This photo is 300 KB; the host accepts up to 200 KB.');
  });
});
