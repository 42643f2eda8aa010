// Runs the official Node Slack client (@slack/web-api) against a Slack, by default the SlackMQ
// emulator: only the base URL differs from talking to slack.com. Starts nothing itself.
//
//   SLACK_API_URL=http://127.0.0.1:PORT/api/ SLACK_BOT_TOKEN=xoxb-... SLACK_CHANNEL=C... node check.mjs
//
// Exit 0 when every step behaved as Slack documents, 1 otherwise. Never prints the token.
import { WebClient, ErrorCode } from '@slack/web-api';

const { SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_CHANNEL } = process.env;
if (!SLACK_API_URL || !SLACK_BOT_TOKEN || !SLACK_CHANNEL) {
  console.error('set SLACK_API_URL, SLACK_BOT_TOKEN and SLACK_CHANNEL');
  process.exit(1);
}

// No retries: the already_pinned step must fail once, not be retried.
const client = new WebClient(SLACK_BOT_TOKEN, {
  slackApiUrl: SLACK_API_URL,
  retryConfig: { retries: 0 },
});

function check(condition, what) {
  if (!condition) {
    throw new Error(`check failed: ${what}`);
  }
  console.log(`ok   ${what}`);
}

async function main() {
  const text = `node-webapi-check ${Date.now()}`;
  const posted = await client.chat.postMessage({ channel: SLACK_CHANNEL, text });
  check(posted.ok && posted.channel === SLACK_CHANNEL && /^\d+\.\d{6}$/.test(posted.ts),
    `chat.postMessage -> ts ${posted.ts}`);

  const reacted = await client.reactions.add({
    channel: SLACK_CHANNEL, timestamp: posted.ts, name: 'eyes' });
  check(reacted.ok, 'reactions.add eyes');

  const pinned = await client.pins.add({ channel: SLACK_CHANNEL, timestamp: posted.ts });
  check(pinned.ok, 'pins.add');

  try {
    await client.pins.add({ channel: SLACK_CHANNEL, timestamp: posted.ts });
    check(false, 'second pins.add fails with already_pinned');
  } catch (e) {
    check(e.code === ErrorCode.PlatformError && e.data && e.data.error === 'already_pinned',
      `second pins.add -> ${e.data ? e.data.error : e.message}`);
  }

  const history = await client.conversations.history({ channel: SLACK_CHANNEL, limit: 10 });
  const mine = history.messages.find((m) => m.ts === posted.ts);
  check(history.ok && mine !== undefined && mine.text === text, 'conversations.history has the post');
  check(Array.isArray(mine.pinned_to) && mine.pinned_to.includes(SLACK_CHANNEL), 'post is pinned');
  check(Array.isArray(mine.reactions) && mine.reactions.some((r) => r.name === 'eyes'),
    'post has the eyes reaction');
}

main().then(
  () => {
    console.log('node-webapi-check: all checks passed');
    process.exit(0);
  },
  (e) => {
    console.error(`node-webapi-check: ${e.message}`);
    process.exit(1);
  },
);
