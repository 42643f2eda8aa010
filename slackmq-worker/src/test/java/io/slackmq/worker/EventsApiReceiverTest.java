package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Events API receiver over real HTTP, signed with the SDK's own signature generator. */
class EventsApiReceiverTest {
  private static final String SECRET = "test-signing-secret";
  private static final String EVENT =
      """
      {"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"Ev1",
       "event_time":1,"event":{"type":"message","channel":"C1","user":"U1",
       "text":"hostname","ts":"1700000000.000100"}}""";

  private final BlockingQueue<Incoming> received = new LinkedBlockingQueue<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final SlackSignature.Generator signer = new SlackSignature.Generator(SECRET);
  private EventsApiReceiver receiver;

  @BeforeEach
  void start() {
    receiver =
        new EventsApiReceiver(
            "127.0.0.1", 0, "/slack/events", SECRET, received::add, System::currentTimeMillis);
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop();
  }

  private HttpResponse<String> send(String body, String timestamp, String signature)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + "/slack/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (timestamp != null) {
      r.header("X-Slack-Request-Timestamp", timestamp);
    }
    if (signature != null) {
      r.header("X-Slack-Signature", signature);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String now() {
    return String.valueOf(System.currentTimeMillis() / 1000);
  }

  @Test
  void signedEvent_isAckedAndDelivered() throws Exception {
    String ts = now();
    HttpResponse<String> r = send(EVENT, ts, signer.generate(ts, EVENT));
    assertThat(r.statusCode()).isEqualTo(200);
    Incoming m = received.poll(5, TimeUnit.SECONDS);
    assertThat(m).isNotNull();
    assertThat(m.channel()).isEqualTo("C1");
    assertThat(m.ts()).isEqualTo("1700000000.000100");
    assertThat(m.eventId()).isEqualTo("Ev1");
    assertThat(m.text()).isEqualTo("hostname");
  }

  @Test
  void urlVerification_answersTheChallenge() throws Exception {
    String body = "{\"token\":\"x\",\"challenge\":\"3eZbrw1aB\",\"type\":\"url_verification\"}";
    String ts = now();
    HttpResponse<String> r = send(body, ts, signer.generate(ts, body));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("3eZbrw1aB");
    assertThat(received).isEmpty();
  }

  @Test
  void forgedSignature_isRejectedWith401() throws Exception {
    String ts = now();
    String forged = new SlackSignature.Generator("not-the-secret").generate(ts, EVENT);
    HttpResponse<String> r = send(EVENT, ts, forged);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("x-slack-no-retry")).contains("1");
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void tamperedBody_isRejectedWith401() throws Exception {
    String ts = now();
    String sig = signer.generate(ts, EVENT);
    HttpResponse<String> r = send(EVENT.replace("hostname", "rm -rf"), ts, sig);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void missingHeaders_areRejectedWith401() throws Exception {
    assertThat(send(EVENT, null, null).statusCode()).isEqualTo(401);
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void replayOlderThanFiveMinutes_isRejectedWith401() throws Exception {
    String old = String.valueOf(System.currentTimeMillis() / 1000 - 6 * 60);
    HttpResponse<String> r = send(EVENT, old, signer.generate(old, EVENT));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(receiver.check(old, signer.generate(old, EVENT), EVENT)).contains("replayed?");
  }

  @Test
  void exactReplayWithinFiveMinutes_isRejectedWith401() throws Exception {
    String ts = now();
    String sig = signer.generate(ts, EVENT);
    assertThat(send(EVENT, ts, sig).statusCode()).isEqualTo(200);
    assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(send(EVENT, ts, sig).statusCode()).isEqualTo(401);
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void check_explainsEachRejection() {
    String ts = now();
    assertThat(receiver.check(null, null, EVENT)).contains("forged?");
    assertThat(receiver.check(ts, "v0=00", EVENT)).contains("signature does not match");
    assertThat(receiver.check("soon", "v0=00", EVENT)).contains("not a number");
    // Signed correctly but dated 10 minutes ahead: the SDK's own check would let it through.
    String future = Long.toString(System.currentTimeMillis() / 1000 + 600);
    String signed = new SlackSignature.Generator(SECRET).generate(future, EVENT);
    assertThat(receiver.check(future, signed, EVENT)).contains("more than 5 minutes");
    // Signed correctly and dated now - 2^63 seconds: Math.abs of the overflowed difference
    // used to let it through.
    String ancient = Long.toString(System.currentTimeMillis() / 1000 - Long.MAX_VALUE - 1);
    String signedAncient = new SlackSignature.Generator(SECRET).generate(ancient, EVENT);
    assertThat(receiver.check(ancient, signedAncient, EVENT)).contains("more than 5 minutes");
    assertThat(receiver.check(ts, new SlackSignature.Generator(SECRET).generate(ts, EVENT), EVENT))
        .isNull();
  }

  @Test
  void theWorkersReceiver_bindsLoopbackUnlessToldOtherwise() {
    // It bound 0.0.0.0 with no way to change it: every interface, for a receiver meant to sit
    // behind a TLS proxy.
    assertThat(SlackMQWorker.builder().eventsHost).isEqualTo("127.0.0.1");
    assertThat(SlackMQWorker.builder().eventsApi("0.0.0.0", 0, "/slack/events").eventsHost)
        .isEqualTo("0.0.0.0");
  }

  @Test
  void aBodyShorterThanItsLength_is400_notAnEmpty500() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", receiver.port())) {
      socket
          .getOutputStream()
          .write(
              ("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 900\r\n\r\n"
                      + EVENT)
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Exception");
    }
    assertThat(received).isEmpty();
  }
}
