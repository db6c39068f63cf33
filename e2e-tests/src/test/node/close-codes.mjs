// What a Node `ws` client sees when it breaks the frame rules: usage `node close-codes.mjs <ws-url> <token> <case>`,
// case "too-large" (one 200 KB text frame) or "not-utf8" (a text frame whose bytes are not UTF-8).
// Prints one line: `close <code>` (1006 = the connection ended without a close frame).
import WebSocket from 'ws';

const [url, token, which] = process.argv.slice(2);
const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
const timer = setTimeout(() => { console.log('timeout'); process.exit(2); }, 15000);
socket.on('open', () => {
  if (which === 'too-large') {
    socket.send(JSON.stringify({ type: 'ping', id: 'x'.repeat(200000) }));
  } else {
    socket.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]), { binary: false });
  }
});
socket.on('error', (e) => console.error(`error ${e.message}`));
socket.on('close', (code) => { clearTimeout(timer); console.log(`close ${code}`); process.exit(0); });
