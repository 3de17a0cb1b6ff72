/**
 * 128 random bits as 22 base64url characters. Uses getRandomValues because randomUUID and
 * crypto.subtle only exist in secure contexts, and guests reach the wall over plain-HTTP LAN.
 */
export function newClientUploadId(random: Pick<Crypto, 'getRandomValues'> = crypto): string {
  const bytes = random.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
