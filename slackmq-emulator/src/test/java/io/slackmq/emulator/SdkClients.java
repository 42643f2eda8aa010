package io.slackmq.emulator;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;

/** The official SDK pointed at an emulator: the way every emulator test talks to it. */
final class SdkClients {
  private SdkClients() {}

  static Slack slack(Emulator emulator) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(emulator.apiUrl());
    // The SDK's stats would add a hidden auth.test per token; tests count calls exactly.
    config.setStatsEnabled(false);
    return Slack.getInstance(config);
  }

  static MethodsClient methods(Emulator emulator, String token) {
    return slack(emulator).methods(token);
  }
}
