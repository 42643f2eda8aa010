package io.slackmq.cli;

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
}
