// The official Node Socket Mode client against the SlackMQ emulator, changed only in its base
// URL: connects with SLACK_APP_TOKEN, waits for one message event, acks it, prints it, exits 0.
// Env: SLACK_API_URL (the emulator's /api/ prefix), SLACK_APP_TOKEN, optional EXPECT_TEXT and
// TIMEOUT_MS. Prints "ready" once connected, so a caller knows when to post.
import { SocketModeClient } from '@slack/socket-mode';

const apiUrl = process.env.SLACK_API_URL;
const appToken = process.env.SLACK_APP_TOKEN;
const expectText = process.env.EXPECT_TEXT;
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 30000);
if (!apiUrl || !appToken) {
  console.error('SLACK_API_URL and SLACK_APP_TOKEN are required');
  process.exit(2);
}

const client = new SocketModeClient({ appToken, clientOptions: { slackApiUrl: apiUrl } });
const timer = setTimeout(() => {
  console.error(`no message event within ${timeoutMs} ms`);
  process.exit(1);
}, timeoutMs);

client.on('message', async ({ event, body, ack }) => {
  await ack();
  if (expectText && event.text !== expectText) {
    return;
  }
  console.log(`event ${body.event_id} from app ${body.api_app_id}: ${JSON.stringify(event)}`);
  clearTimeout(timer);
  await client.disconnect();
  console.log('all checks passed');
  process.exit(0);
});

client.on('connected', () => console.log('ready'));
await client.start();
