/** Listening sockets held by the test process itself, on free loopback ports. */
import net from 'node:net';

/** `listen()` opens one (it answers by hanging up); `closeAll()` closes every one opened so far. */
export function loopbackServers(): { listen(): Promise<{ port: number; server: net.Server }>; closeAll(): Promise<void> } {
  const servers: net.Server[] = [];
  return {
    async listen() {
      const server = net.createServer((c) => c.end());
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { port: (server.address() as net.AddressInfo).port, server };
    },
    async closeAll() {
      await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    },
  };
}
