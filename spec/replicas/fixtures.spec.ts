// The fixtures the multi-replica specs stand on, checked on their own first: a failure here is the
// fixture's, not the server's.
import net from 'node:net';
import type { MyPhotoDto } from '@photobook/shared';
import { useCluster } from '../fixtures/cluster';
import { solidPng } from '../fixtures/images';
import { redisAnswersPing, startRedis, type RedisProcess } from '../fixtures/redis-server';
import { request, uploadFile } from '../fixtures/replica-guests';
import { startSwitchProxy, type SwitchProxy } from '../fixtures/switch-proxy';

/** A TCP server that greets each connection with its name and keeps it open. */
async function greeter(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket.on('close', () => open.delete(socket)).on('error', () => undefined));
    socket.write(name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Connects through the proxy; resolves with the greeting, or '' when the connection is closed first. */
function greetingVia(port: number): Promise<{ text: string; socket: net.Socket }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', (data: Buffer) => resolve({ text: data.toString(), socket }));
    socket.once('close', () => resolve({ text: '', socket }));
    socket.on('error', () => undefined);
  });
}

function closed(socket: net.Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

describe('the multi-replica fixtures', () => {
  describe('a redis-server of the spec’s own', () => {
    let redis: RedisProcess | null = null;
    beforeAll(async () => {
      redis = await startRedis();
    }, 20_000);
    afterAll(async () => {
      await redis?.stop();
    });
    beforeEach(() => {
      if (!redis) pending('SKIPPED: no redis-server here (see the SKIPPED line above)');
    });

    it('answers PING on loopback, stops on SIGTERM, and answers again on the same port after start()', async () => {
      const server = redis!;
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      expect(await redisAnswersPing(server.port)).toBeTrue();
      await server.stop();
      expect(server.running).toBeFalse();
      expect(await redisAnswersPing(server.port)).toBeFalse();
      await server.start();
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      expect(await redisAnswersPing(server.port)).toBeTrue();
    });

    it('comes back on the same port after a SIGKILL too', async () => {
      const server = redis!;
      const port = server.port;
      await server.kill();
      expect(await redisAnswersPing(port)).toBeFalse();
      await server.start();
      expect(server.port).toBe(port);
      expect(await redisAnswersPing(port)).toBeTrue();
    });
  });

  describe('a TCP proxy that switches backends', () => {
    let blue: Awaited<ReturnType<typeof greeter>>;
    let green: Awaited<ReturnType<typeof greeter>>;
    let proxy: SwitchProxy;
    const clients: net.Socket[] = [];
    beforeEach(async () => {
      blue = await greeter('blue');
      green = await greeter('green');
      proxy = await startSwitchProxy(blue.port);
    });
    afterEach(async () => {
      for (const socket of clients.splice(0)) socket.destroy();
      await proxy.close();
      await blue.close();
      await green.close();
    });
    const via = async () => {
      const reply = await greetingVia(proxy.port);
      clients.push(reply.socket);
      return reply;
    };

    it('sends new connections to the new backend and leaves open ones piped to the old one', async () => {
      const before = await via();
      expect(before.text).toBe('blue');
      proxy.switchTo(green.port, { dropExisting: false });
      expect((await via()).text).toBe('green');
      expect(before.socket.destroyed).toBeFalse();
      expect(proxy.openConnections).toBe(2);
    });

    it('cuts the open connections when switching with dropExisting', async () => {
      const before = await via();
      proxy.switchTo(green.port, { dropExisting: true });
      await closed(before.socket);
      expect((await via()).text).toBe('green');
      expect(proxy.openConnections).toBe(1);
    });

    it('closes a client whose backend refuses the connection, and serves the next one once a backend is back', async () => {
      await blue.close();
      const refused = await via();
      expect(refused.text).toBe('');
      await closed(refused.socket);
      expect(proxy.openConnections).toBe(0);
      proxy.switchTo(green.port, { dropExisting: false });
      expect((await via()).text).toBe('green');
    });
  });

  describe('a cluster of two replica processes over one store and one Redis', () => {
    // In turn, so that a failure here is the fixtures' own: replicas racing on a fresh database is server
    // behaviour for a spec of its own (today one of them dies at times on E11000 writing the admin password).
    const suite = useCluster({ replicas: 2, redis: true, start: 'in turn' });

    it('starts both, on ports of their own, and both answer GET /healthz', async () => {
      const { replicas } = suite.cluster;
      expect(replicas.length).toBe(2);
      expect(new Set(replicas.map((replica) => replica.port)).size).toBe(2);
      for (const replica of replicas) {
        const response = await fetch(`${replica.url}/healthz`);
        expect(response.status).withContext(replica.name).toBe(200);
        expect(await response.json()).withContext(replica.name).toEqual({ ok: true });
      }
    });

    it('lets one guest’s sockets connect to each replica with the same cookie', async () => {
      const { cookie } = suite.cluster.newGuest();
      for (const replica of suite.cluster.replicas) {
        const socket = await suite.cluster.connectGuest(replica, cookie);
        expect(socket.connected).withContext(replica.name).toBeTrue();
      }
    });

    it('knows a guest on every replica: a photo uploaded through one is the guest’s, and served, on the other', async () => {
      const [first, second] = suite.cluster.replicas;
      const { cookie } = suite.cluster.newGuest();
      const uploaded = await uploadFile(await suite.cluster.connectGuest(first!, cookie), await solidPng(64, 48), { caption: 'via r1' });
      if (!uploaded.ok) return fail(uploaded.error);
      const mine = await request<readonly MyPhotoDto[]>(await suite.cluster.connectGuest(second!, cookie), 'mine:list', {});
      expect(mine.ok && mine.value.map((photo) => photo.id)).toEqual([uploaded.value.id]);
      expect((await fetch(second!.url + uploaded.value.displayUrl)).status).toBe(200);
    }, 30_000);
  });
});
