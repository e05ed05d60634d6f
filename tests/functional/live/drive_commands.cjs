// Drives every /live command that HopSo's AsyncAPI document lists through the official socket.io-client, with the
// document's own example payload, and prints each command's acknowledgement as JSON.
// node drive_commands.cjs BASE_URL TOKEN SESSION_ID SOCKET_IO_CLIENT_DIR
const [base, token, sessionId, clientDir] = process.argv.slice(2);
const { io } = require(clientDir);

async function main() {
  const document = await (await fetch(`${base}/api/asyncapi.json`)).json();
  const socket = io(`${base}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('connect_error', reject);
  });
  const joined = await socket.timeout(10000).emitWithAck('join', { session_id: Number(sessionId) });
  const acks = {};
  for (const operation of Object.values(document.operations)) {
    if (operation.action !== 'send' || operation.channel.$ref !== '#/channels/live' || !operation.reply) continue;
    const key = operation.messages[0].$ref.split('/').pop();
    const message = document.channels.live.messages[key];
    acks[message.name] = await socket.timeout(10000).emitWithAck(message.name, message.examples[0].payload);
  }
  socket.disconnect();
  process.stdout.write(JSON.stringify({ joined: joined.ok, acks }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
