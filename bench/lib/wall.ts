/** A wall as the bench sees it: joined, noting when each photo:added arrives and when its display image is in. */
import type http from 'node:http';
import type { PhotoDto } from '@photobook/shared';
import { wallClock } from './clock';
import { connectGuest, joinWall, type BenchSocket } from './guest';
import { getBody, keepAliveAgent } from './http';

export interface Arrival {
  /** photo:added received (shared clock). */
  readonly added: number;
  /** Display image downloaded after it (shared clock). */
  readonly shown: number;
}

export class Wall {
  private readonly seen = new Map<string, Promise<Arrival>>();
  private readonly waiting = new Map<string, (photo: PhotoDto, at: number) => void>();
  private readonly agent: http.Agent = keepAliveAgent(8);

  private constructor(
    private readonly baseUrl: string,
    readonly socket: BenchSocket,
  ) {
    socket.on('photo:added', (photo) => {
      const at = wallClock();
      const resolve = this.waiting.get(photo.id);
      if (resolve) resolve(photo, at);
      else this.seen.set(photo.id, this.show(photo, at));
    });
  }

  static async open(url: string): Promise<Wall> {
    const wall = new Wall(url, await connectGuest(url));
    await joinWall(wall.socket);
    return wall;
  }

  /** Like a wall, fetches the display image as soon as the photo is announced. */
  private async show(photo: PhotoDto, added: number): Promise<Arrival> {
    await getBody(this.agent, new URL(photo.displayUrl, this.baseUrl).href);
    return { added, shown: wallClock() };
  }

  /** When photo `id` (an upload's id) reached this wall, waiting for it if need be. */
  arrival(id: string): Promise<Arrival> {
    const known = this.seen.get(id);
    if (known) return known;
    const arrival = new Promise<Arrival>((resolve, reject) => {
      this.waiting.set(id, (photo, at) => this.show(photo, at).then(resolve, reject));
    });
    this.seen.set(id, arrival);
    return arrival;
  }

  close(): void {
    this.socket.disconnect();
    this.agent.destroy();
  }
}
