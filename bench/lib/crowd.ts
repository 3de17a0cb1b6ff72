import type { BenchContext } from './figure';
import { connectGuest, type BenchSocket } from './guest';
import type { ServerProcess } from './processes';
import { Wall } from './wall';

/** A fresh server child with a wall listening and `guests` guest sockets, all closed after `use`. */
export async function withCrowd<T>(
  startServer: BenchContext['startServer'],
  guests: number,
  use: (crowd: { readonly server: ServerProcess; readonly wall: Wall; readonly guests: readonly BenchSocket[] }) => Promise<T>,
): Promise<T> {
  const server = await startServer();
  try {
    const wall = await Wall.open(server.url);
    const sockets = await Promise.all(Array.from({ length: guests }, () => connectGuest(server.url)));
    try {
      return await use({ server, wall, guests: sockets });
    } finally {
      for (const g of sockets) g.disconnect();
      wall.close();
    }
  } finally {
    await server.stop();
  }
}

/**
 * Every guest's work, settled, then the first failure thrown: with Promise.all the others' requests
 * would still be pending when the crowd disconnects, and their "socket has been disconnected"
 * rejections would end the bench without the failure that started it.
 */
export async function allGuests<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(work);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}
