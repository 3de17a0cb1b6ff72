import { decideChunk } from '../../server/upload/protocol';

describe('the chunk rule of the upload protocol', () => {
  it('UP3: appends a chunk that starts exactly at the received count', () => {
    expect(decideChunk(10, 100, 10, 20)).toEqual({ kind: 'append', skip: 0 });
  });

  it('UP4: keeps only the new bytes of a chunk that overlaps what was received', () => {
    expect(decideChunk(15, 100, 10, 20)).toEqual({ kind: 'append', skip: 5 });
  });

  it('UP5: acks a chunk whose bytes are all held already without writing it', () => {
    expect(decideChunk(30, 100, 10, 20)).toEqual({ kind: 'duplicate' });
    expect(decideChunk(30, 100, 0, 30)).toEqual({ kind: 'duplicate' });
  });

  it('UP6: answers a chunk past the end with the offset the server expects', () => {
    expect(decideChunk(10, 100, 20, 5)).toEqual({ kind: 'gap', expected: 10 });
  });

  it('UP7: refuses a chunk that ends beyond the declared size, even a duplicate-looking one', () => {
    expect(decideChunk(10, 100, 90, 11)).toEqual({ kind: 'overflow' });
    expect(decideChunk(100, 100, 0, 101)).toEqual({ kind: 'overflow' });
  });

  it('accepts a final chunk that ends exactly at the declared size', () => {
    expect(decideChunk(90, 100, 90, 10)).toEqual({ kind: 'append', skip: 0 });
  });
});
