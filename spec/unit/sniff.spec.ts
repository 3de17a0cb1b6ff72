import { sniffImageType } from '../../server/media/sniff';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('image type sniffing from magic bytes', () => {
  it('recognizes JPEG, PNG, WebP and GIF', () => {
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageType(bytes('\x89PNG\r\n\x1a\n'))).toBe('png');
    expect(sniffImageType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('webp');
    expect(sniffImageType(bytes('GIF89a'))).toBe('gif');
    expect(sniffImageType(bytes('GIF87a'))).toBe('gif');
  });

  it('tells HEIC and AVIF apart by their ftyp brand', () => {
    expect(sniffImageType(bytes([0, 0, 0, 24], 'ftypheic'))).toBe('heic');
    expect(sniffImageType(bytes([0, 0, 0, 24], 'ftypmif1'))).toBe('heic');
    expect(sniffImageType(bytes([0, 0, 0, 24], 'ftypavif'))).toBe('avif');
  });

  it('rejects HTML, ELF, ZIP, SVG, empty input and a RIFF that is not WebP', () => {
    expect(sniffImageType(bytes('<!doctype html>'))).toBeNull();
    expect(sniffImageType(bytes([0x7f], 'ELF', [2, 1, 1]))).toBeNull();
    expect(sniffImageType(bytes('PK', [3, 4]))).toBeNull();
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
    expect(sniffImageType(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBeNull();
  });
});
