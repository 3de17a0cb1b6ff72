/** The sniffer lives in shared/ since the browser extension checks a fetched image with it too. */
export { sniffImageType, type SniffedType } from '@photobook/shared';
