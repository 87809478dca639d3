import type { Server } from 'http';

/**
 * Leaves idle keep-alive connections for the clients to close (Node's server default closes them after 5 s). A server
 * that closes an idle socket races a client that picks that socket for its next request at the same moment: the
 * client gets ECONNRESET ("fetch failed", "socket hang up"), and on a busy machine, where a client stalls for a second
 * now and then, it meets that race often. Clients close their idle sockets themselves (fetch after about 4 s, the
 * SDKs' agents when their process ends), and each emulator's stop() closes what is left.
 */
export function leaveIdleConnectionsToClients<T extends Pick<Server, 'keepAliveTimeout'>>(server: T): T {
  server.keepAliveTimeout = 0; // 0: no idle timeout, and no Keep-Alive: timeout= hint for clients to count down from
  return server;
}
