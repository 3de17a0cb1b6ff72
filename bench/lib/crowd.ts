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
