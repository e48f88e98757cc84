/**
 * A small fault-injecting HTTP proxy on 127.0.0.1 for retry tests: in front of a real server,
 * it can drop a connection before or after forwarding, answer 503/429 itself, or cut a
 * streaming response short. Each request asks `decide` what to do.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do with one request. */
export type Fault =
  | { kind: 'pass' }
  /** Close the client connection without forwarding (the server never sees it). */
  | { kind: 'drop-before' }
  /** Forward, let the server finish, then close the client connection without the response. */
  | { kind: 'drop-after' }
  /** Answer this status without forwarding. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Forward and stream the response, but cut the connection after `afterMs`, or right after the first body chunk. */
  | { kind: 'cut'; afterMs: number; afterFirstChunk?: boolean };

/** One request the proxy saw. */
export interface ProxyHit {
  method: string;
  path: string;
  fault: Fault['kind'];
}

export interface FaultProxy {
  url: string;
  hits: ProxyHit[];
  /** Replace the decision function. */
  setDecide(decide: (req: IncomingMessage, index: number) => Fault): void;
  close(): Promise<void>;
}

/** Starts a proxy to `upstream` (http://host:port). */
export async function startFaultProxy(upstream: string, decide: (req: IncomingMessage, index: number) => Fault = () => ({ kind: 'pass' })): Promise<FaultProxy> {
  const target = new URL(upstream);
  const hits: ProxyHit[] = [];
  let choose = decide;
  const server: Server = createServer((req, res) => {
    const fault = choose(req, hits.length);
    hits.push({ method: req.method ?? 'GET', path: req.url ?? '/', fault: fault.kind });
    if (fault.kind === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'status') {
      req.resume();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: `injected ${fault.status}` } }));
      return;
    }
    const upstreamReq = request({
      host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers,
    }, (upstreamRes) => {
      if (fault.kind === 'drop-after') {
        upstreamRes.resume();
        upstreamRes.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
      if (fault.kind === 'cut') {
        const timer = setTimeout(() => {
          upstreamRes.destroy();
          req.socket.destroy();
        }, fault.afterMs);
        upstreamRes.on('close', () => clearTimeout(timer));
        // Deterministic mid-stream drop: the client has seen some of the body, never its end.
        if (fault.afterFirstChunk) {
          upstreamRes.once('data', () => setImmediate(() => {
            upstreamRes.destroy();
            req.socket.destroy();
          }));
        }
      }
    });
    upstreamReq.on('error', () => req.socket.destroy());
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    setDecide(next) { choose = next; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
