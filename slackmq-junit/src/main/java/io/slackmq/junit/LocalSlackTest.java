package io.slackmq.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class with a local Slack: one per class, started before its first test on a free port,
 * reset before each test (unless {@link #resetBetweenTests()} is false) and stopped after its last,
 * injected into test, lifecycle and constructor parameters of type {@link LocalSlack}.
 *
 * <pre>{@code
 * @LocalSlackTest
 * class DeployBotTest {
 *   @Test
 *   void answersInTheThread(LocalSlack slack) {
 *     // start the bot on slack.apiUrl() / slack.sdk() with slack.botToken("slackmq-a") ...
 *     String ts = slack.post("deploy web-7");
 *     assertEquals(ts, slack.takeRequest("chat.postMessage").param("thread_ts"));
 *   }
 * }
 * }</pre>
 *
 * <p>Options an annotation cannot hold (faults from the start, a workspace file, custom rate
 * limits) are in {@link LocalSlackExtension#builder()}; a test sets faults on {@link
 * LocalSlack#faults()}. {@code @Nested} classes share their outer class's local Slack.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalSlackExtension.class)
public @interface LocalSlackTest {
  /** The workspace's apps; empty: {@code slackmq-a}, {@code slackmq-b}. */
  String[] apps() default {};

  /** The workspace's people; empty: {@code alice}. */
  String[] people() default {};

  /** The workspace's channels (all apps and people are members); empty: {@code ops}. */
  String[] channels() default {};

  /** Emulated seconds per real second, for rate limits and event retries. */
  double timeScale() default 1;

  /** Slack's published rate limits; false (the default): none. */
  boolean slackRateLimits() default false;

  /** Seeds ids, tokens and faults. */
  long seed() default 1;

  /** A fixed port; 0 (the default, which tests should keep): a free one. */
  int port() default 0;

  /** Whether the local Slack is reset before each test ({@link LocalSlack#reset()}). */
  boolean resetBetweenTests() default true;
}
