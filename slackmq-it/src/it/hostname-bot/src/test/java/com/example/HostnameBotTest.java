package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.model.event.MessageEvent;
import io.slackmq.core.SlackMQ;
import io.slackmq.junit.LocalSlack;
import io.slackmq.junit.LocalSlackTest;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@LocalSlackTest
class HostnameBotTest {
  static final String REPLY = "I am running on web-1";

  /** The Bolt app under test: answers "hostname" in the thread, once across all instances. */
  static App hostnameBot(AppConfig config, String apiUrl) {
    App app = new App(config);
    app.message(
        Pattern.compile("^hostname$"),
        (payload, ctx) -> {
          MessageEvent m = payload.getEvent();
          SlackMQ post = new SlackMQ(ctx.getBotToken(), m.getChannel(), m.getTs(), apiUrl);
          if (post.ack()) {
            ctx.client()
                .chatPostMessage(
                    r -> r.channel(m.getChannel()).threadTs(m.getTs()).text(REPLY));
            post.unack();
          }
          return ctx.ack();
        });
    return app;
  }

  @Test
  void answersHostnameOnceInTheThread(LocalSlack slack) throws Exception {
    AppConfig config =
        AppConfig.builder()
            .slack(slack.sdk()) // the SDK pointed at the local Slack
            .singleTeamBotToken(slack.botToken("slackmq-a"))
            .build();
    SocketModeApp socketMode =
        new SocketModeApp(slack.appToken("slackmq-a"), hostnameBot(config, slack.apiUrl()));
    socketMode.startAsync();
    try {
      slack.awaitSocketMode("slackmq-a");

      String ts = slack.post("hostname"); // alice posts in #ops

      slack.takeRequest("pins.remove"); // unack(): the bot is done with the message
      assertEquals(List.of(REPLY), slack.replies(ts, "I am running on"));
      assertEquals(1, slack.requests("pins.add").size());
    } finally {
      socketMode.close();
    }
  }
}
