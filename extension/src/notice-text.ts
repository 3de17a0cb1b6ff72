/**
 * The extension's own sentences: what only a browser extension meets (no address yet, a site that
 * keeps its images to itself). Every refusal of the photo itself uses the phone's words
 * (client/src/app/core/error-messages.ts).
 */
export const NOTICE_TEXT = {
  menuTitle: 'Send to the Photobook wall',
  sentTitle: 'On the wall',
  sentMessage: (event: string) => `Your photo is on the wall${event ? ` of ${event}` : ''}. You can edit or delete it on “My photos”.`,
  approvalTitle: 'Waiting for the host’s approval',
  approvalMessage: 'Your photo reaches the wall once the host approves it. You can see it on “My photos”.',
  failedTitle: 'Not sent to the wall',
  setupTitle: 'Photobook needs the event’s address',
  setupMessage: 'Enter the address of the event’s wall in the options that just opened, then send the image again.',
  permissionTitle: 'Photobook needs your permission',
  permissionMessage: (address: string) => `Allow Photobook to reach ${address}: press Save in the options that just opened, then send the image again.`,
  unreachable: (address: string) =>
    `The wall at ${address} didn’t answer. Check the address in Photobook’s options and that this computer is online (on the venue’s Wi-Fi, if the wall is there).`,
  notAnAddress: 'Photobook can send images from web pages only (http, https or data addresses).',
  unreadable: 'This site doesn’t let Photobook read the image. Save it to your computer, then send it from the event’s upload page.',
  httpError: (status: number) => `The site didn’t hand over this image (it answered ${status}). Try again, or save it and send it from the event’s upload page.`,
} as const;
