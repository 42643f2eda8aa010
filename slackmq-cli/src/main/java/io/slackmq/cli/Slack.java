package io.slackmq.cli;

import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiTextResponse;

/** The official SDK's client, pointed where the options say. */
final class Slack {
  private Slack() {}

  static com.slack.api.Slack sdk(String apiUrl) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(apiUrl);
    config.setStatsEnabled(false);
    return com.slack.api.Slack.getInstance(config);
  }

  static MethodsClient methods(SlackOptions options) {
    return sdk(options.apiUrl()).methods(options.token());
  }

  /** Throws with Slack's error code (and what the SDK says is needed) unless ok. */
  static <T extends SlackApiTextResponse> T check(String method, T response) {
    if (!response.isOk()) {
      String needed = response.getNeeded() == null ? "" : " (needs scope " + response.getNeeded() + ")";
      throw new IllegalStateException(method + " failed: " + response.getError() + needed);
    }
    return response;
  }
}
