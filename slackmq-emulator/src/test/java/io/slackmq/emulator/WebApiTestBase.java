package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsCreateResponse;
import io.slackmq.emulator.Mutation.AppUpdated;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One emulator per test class (no rate limits), the default workspace's tokens, and small steps
 * every Web API test needs. Everything goes through the official SDK over HTTP.
 */
abstract class WebApiTestBase {
  private static final AtomicInteger names = new AtomicInteger();

  static Emulator slack;
  static Map<String, String> env;
  static String botA;
  static String botB;
  static String alice;
  static String appToken;
  static String ops;
  static String userA;
  static String userB;
  static String aliceId;

  @BeforeAll
  static void startEmulator() {
    slack = Emulator.builder().noRateLimits().start();
    env = slack.env();
    botA = env.get("SLACK_BOT_TOKEN_SLACKMQ_A");
    botB = env.get("SLACK_BOT_TOKEN_SLACKMQ_B");
    alice = env.get("SLACK_USER_TOKEN_ALICE");
    appToken = env.get("SLACK_APP_TOKEN_SLACKMQ_A");
    ops = env.get("SLACK_CHANNEL_OPS");
    userA = env.get("SLACK_BOT_USER_SLACKMQ_A");
    userB = env.get("SLACK_BOT_USER_SLACKMQ_B");
    aliceId = env.get("SLACK_USER_ID_ALICE");
  }

  @AfterAll
  static void stopEmulator() {
    slack.close();
  }

  static MethodsClient api(String token) {
    return SdkClients.methods(slack, token);
  }

  /** Posts to #ops as the token's user and returns the ts. */
  static String post(String token, String text) throws Exception {
    return post(token, ops, text);
  }

  static String post(String token, String channel, String text) throws Exception {
    ChatPostMessageResponse r = api(token).chatPostMessage(q -> q.channel(channel).text(text));
    assertThat(r.getError()).isNull();
    return r.getTs();
  }

  /** A fresh channel, unique per call, created by (and holding only) the token's user. */
  static String newChannel(String token, boolean isPrivate) throws Exception {
    String name = "t" + names.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    ConversationsCreateResponse r =
        api(token).conversationsCreate(q -> q.name(name).isPrivate(isPrivate));
    assertThat(r.getError()).isNull();
    return r.getChannel().getId();
  }

  /**
   * Runs {@code threads} calls released at the same instant and returns their results; the calls
   * race each other as far as the HTTP stack allows.
   */
  static <R> List<R> concurrently(int threads, IntFunction<Callable<R>> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<R>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<R> c = call.apply(i);
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  return c.call();
                }));
      }
      go.countDown();
      List<R> results = new ArrayList<>();
      for (Future<R> f : calls) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The emulator's workspace, for what a test must set up that the Web API cannot. */
  static Workspace workspace(Emulator emulator) {
    return emulator.workspace();
  }

  /** Replaces an app's bot scopes and 2025 non-Marketplace flag, as the admin API would. */
  static void updateApp(
      Emulator emulator, String appName, List<String> scopes, boolean nonMarketplace2025) {
    Workspace ws = workspace(emulator);
    App app =
        ws.locked(
            () -> ws.apps().stream().filter(a -> a.name.equals(appName)).findFirst().orElseThrow());
    ws.commit(new AppUpdated(app.id, app.requestUrl(), app.events(), scopes, nonMarketplace2025));
  }
}
