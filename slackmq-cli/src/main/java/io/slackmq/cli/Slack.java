package io.slackmq.cli;

import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import io.slackmq.core.SlackApi;
import java.time.Duration;

/** Core's call layer (pacing, retries, Retry-After, Slack's error codes), pointed where told. */
final class Slack {
  private Slack() {}

  /** Calls as {@code token} at {@code apiUrl}, paced at the app's tiers at {@code timeScale}. */
  static SlackApi api(String apiUrl, String token, double timeScale) {
    return SlackApi.builder(SlackApi.client(apiUrl, token, Duration.ofSeconds(10)))
        .pacing(apiUrl, token)
        .timeScale(timeScale)
        .build();
  }

  /** Calls as the options' token (real Slack's time: scale 1). */
  static SlackApi api(SlackOptions options) {
    return api(options.apiUrl(), options.token(), 1);
  }

  /** Posts {@code text} to {@code channel}; the call layer retries what a real client retries. */
  static ChatPostMessageResponse post(SlackApi api, String channel, String text) {
    return api.call("chat.postMessage", m -> m.chatPostMessage(q -> q.channel(channel).text(text)));
  }
}
