// The peer of the benchmark: what a team would build instead of chat-service with the usual Node stack.
// Socket.IO 4.8 + @socket.io/redis-streams-adapter: every instance appends broadcasts to one Redis stream and
// delivers them to its local sockets (the same pattern as chat-service's chat:inbox:{instance} streams).
//
// Work done per connection and per message, so the comparison is read correctly:
//   handshake: RS256 signature, iss, aud, exp and token_use checked with the same public key chat-service uses,
//              plus the device-session check HGET auth:sess:{uid} did == jti (as chat-service does), then
//              SMEMBERS user:{uid}:groups to join the user's group rooms.
//   send:      conversation id, membership (room) check, INCR peer:seq:{conv} (per-conversation seq, like chat),
//              ack to the sender, broadcast to the recipients' rooms through the adapter.
//   NOT done (chat-service does it): idempotency key (SET NX), durable log XADD chat:log:{p} for history,
//              read markers, presence hash. The peer therefore does LESS Redis work per message than chat.
//
// Env: PORT, REDIS_URL, PUBLIC_KEY (PEM file), ISSUER, AUDIENCE, STREAM (adapter stream name).
'use strict';
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const { Server } = require('socket.io');
const { createClient } = require('redis');
const { createAdapter } = require('@socket.io/redis-streams-adapter');

const port = Number(process.env.PORT || 3000);
const publicKey = crypto.createPublicKey(fs.readFileSync(process.env.PUBLIC_KEY));
const issuer = process.env.ISSUER || 'https://chat.local/auth';
const audience = process.env.AUDIENCE || 'chat-platform';

function verifyJwt(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  } catch (e) {
    return null;
  }
  if (header.alg !== 'RS256') return null;
  const ok = crypto.verify('RSA-SHA256', Buffer.from(parts[0] + '.' + parts[1]), publicKey,
    Buffer.from(parts[2], 'base64url'));
  if (!ok) return null;
  const now = Math.floor(Date.now() / 1000);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== issuer || !aud.includes(audience) || !(claims.exp + 30 > now)
      || claims.token_use !== 'access' || !claims.sub || !claims.jti || !claims.did) return null;
  return claims;
}

async function main() {
  const redis = createClient({ url: process.env.REDIS_URL });
  const adapterRedis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  await adapterRedis.connect();

  let io;
  const httpServer = http.createServer((req, res) => {
    if (req.url === '/stats') { // for the harness: GC, then memory and socket count
      if (global.gc) global.gc();
      const m = process.memoryUsage();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external,
        arrayBuffers: m.arrayBuffers, sockets: io.engine.clientsCount }));
    } else if (req.url === '/ready') {
      res.end('ok');
    } else if (!req.url.startsWith('/socket.io/')) {
      res.statusCode = 404;
      res.end();
    }
  });
  io = new Server(httpServer, {
    adapter: createAdapter(adapterRedis, { streamName: process.env.STREAM || 'peer:stream' }),
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: 65536,
  });

  io.use(async (socket, next) => {
    const claims = verifyJwt(socket.handshake.auth && socket.handshake.auth.token);
    if (!claims) return next(new Error('unauthorized'));
    try {
      const jti = await redis.hGet(`auth:sess:{${claims.sub}}`, claims.did);
      if (jti !== claims.jti) return next(new Error('unauthorized'));
      const groups = await redis.sMembers(`user:{${claims.sub}}:groups`);
      socket.data.uid = claims.sub;
      socket.data.did = claims.did;
      socket.join(['u:' + claims.sub, ...groups.map((g) => 'g.' + g)]);
      next();
    } catch (e) {
      next(new Error('unavailable'));
    }
  });

  io.on('connection', (socket) => {
    socket.on('send', async (frame, ack) => {
      if (typeof ack !== 'function') ack = () => {};
      if (!frame || typeof frame.body !== 'string' || frame.body.length > 4000) {
        return ack({ error: 'INVALID_FIELD' });
      }
      const uid = socket.data.uid;
      let conv;
      let rooms;
      if (frame.to && typeof frame.to === 'object' && frame.to.user !== undefined) {
        const other = String(frame.to.user);
        const [a, b] = [BigInt(uid), BigInt(other)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        conv = `d.${a}.${b}`;
        rooms = ['u:' + uid, 'u:' + other]; // the sender's other devices too, like chat
      } else if (typeof frame.to === 'string' && frame.to.startsWith('g.')) {
        if (!socket.rooms.has(frame.to)) return ack({ error: 'FORBIDDEN' });
        conv = frame.to;
        rooms = [conv];
      } else {
        return ack({ error: 'INVALID_FIELD' });
      }
      try {
        const seq = await redis.incr(`peer:seq:{${conv}}`);
        const ts = Date.now();
        const msgId = crypto.randomUUID();
        ack({ msgId, conv, seq, ts });
        socket.to(rooms).emit('message', { msgId, conv, seq, from: Number(uid), fromDevice: socket.data.did,
          senderType: 'USER', kind: 'text', body: frame.body, ts });
      } catch (e) {
        ack({ error: 'UNAVAILABLE' });
      }
    });
  });

  httpServer.listen(port, '127.0.0.1', () => console.log(`peer listening on ${port} (pid ${process.pid})`));
  const stop = () => { io.close(); redis.quit().catch(() => {}); adapterRedis.quit().catch(() => {}); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
