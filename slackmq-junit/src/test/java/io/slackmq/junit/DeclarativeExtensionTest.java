package io.slackmq.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.Message;
import io.slackmq.emulator.Faults.ErrorKind;
import io.slackmq.emulator.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code @LocalSlackTest}: one local Slack for the class (its {@code @Nested} classes too),
 * injected everywhere, reset before each test with tokens and ids kept.
 */
@LocalSlackTest(
    apps = {"deploy-bot", "audit-bot"},
    people = {"alice", "bob"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeclarativeExtensionTest {
  static LocalSlack beforeAll;
  static String firstBotToken;
  static String firstChannel;

  private final LocalSlack fromConstructor;
  private LocalSlack fromBeforeEach;

  DeclarativeExtensionTest(LocalSlack slack) {
    this.fromConstructor = slack;
  }

  @BeforeAll
  static void started(LocalSlack slack) {
    beforeAll = slack;
  }

  @BeforeEach
  void setUp(LocalSlack slack) {
    fromBeforeEach = slack;
  }

  @Test
  @Order(1)
  void first_postsReactsAndInjectsAFault(LocalSlack slack) {
    assertThat(slack).isSameAs(beforeAll).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
    assertThat(slack.apps()).containsExactly("deploy-bot", "audit-bot");
    assertThat(slack.people()).containsExactly("alice", "bob");
    assertThat(slack.channels()).containsExactly("ops");
    firstBotToken = slack.botToken("deploy-bot");
    firstChannel = slack.channel();

    String ts = slack.post("deploy web-7");
    slack.reactAs("bob", ts, "eyes");
    slack.replyAs("bob", ts, "on it");
    slack.faults().errorRate("api.test", ErrorKind.INTERNAL_ERROR, 1.0);

    assertThat(slack.history()).extracting(Message::getText).containsExactly("deploy web-7");
    assertThat(slack.replies(ts, "on")).containsExactly("on it");
    assertThat(slack.requests("reactions.add"))
        .singleElement()
        .extracting(RecordedRequest::caller)
        .isEqualTo("bob");
  }

  @Test
  @Order(2)
  void second_startsFromAResetSlack_withTheSameTokensAndIds(LocalSlack slack) throws Exception {
    assertThat(slack).isSameAs(beforeAll);
    assertThat(slack.requests()).isEmpty(); // the first test's calls are forgotten
    assertThat(slack.botToken("deploy-bot")).isEqualTo(firstBotToken);
    assertThat(slack.channel("#ops")).isEqualTo(firstChannel);
    assertThat(slack.history()).isEmpty();
    assertThat(slack.bot("deploy-bot").apiTest(r -> r).isOk()).isTrue(); // the fault is gone
    assertThat(slack.requests()).extracting(RecordedRequest::method).contains("api.test");
  }

  @Nested
  class Inner {
    @Test
    void nestedClass_sharesTheOuterLocalSlack(LocalSlack slack) {
      assertThat(slack).isSameAs(beforeAll);
      assertThat(slack.apps()).containsExactly("deploy-bot", "audit-bot");
      assertThat(slack.history()).isEmpty();
    }
  }
}
