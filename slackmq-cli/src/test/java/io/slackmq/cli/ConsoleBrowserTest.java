package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.model.Message;
import io.slackmq.emulator.Emulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real headless Chromium, on an embedded local Slack with two workers: a task
 * posted from the page goes waiting, held (by whom), done (by whom); a canary approved from the
 * page lets the rollout proceed; a fault switched on from the page shows up as errors counted; the
 * page's states match what {@code conversations.replies} says; and the page's memory is capped.
 * Takes the screenshots in docs/ ({@code -Dconsole.screenshots=../docs}; always into target/).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class ConsoleBrowserTest {
  static ConsoleFleet fleet;
  static Console console;
  static ChromeDriver page;
  static final List<String> posted = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    page = Browser.start(); // first: skipped (or failed in CI) without a browser
    // Events reach the workers 2 s late, so that the page can be seen showing a task waiting
    // before any worker claims it.
    fleet =
        new ConsoleFleet(
            Emulator.builder()
                .seed(5)
                .faults(f -> f.delayEvents(Duration.ofSeconds(2), Duration.ZERO)));
    console = Console.start(fleet.console(false));
    page.get(console.url());
    await().atMost(Duration.ofSeconds(20)).until(() -> text("conn").equals("live"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> page.findElement(By.id("drive")).isDisplayed());
  }

  @AfterAll
  static void stop() {
    if (page != null) {
      page.quit();
    }
    if (console != null) {
      console.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @Order(1)
  void aTaskPostedFromThePage_goesWaitingHeldDone_withTheWorkersName() throws Exception {
    postFromPage("task t1");
    waitUpTo(10).until(() -> state("task t1").equals("waiting"));
    waitUpTo(20).until(() -> state("task t1").equals("held") && !row("task t1").holder().isEmpty());
    Row held = row("task t1");
    assertThat(held.holder()).isIn("w-a", "w-b");
    assertThat(held.what())
        .contains("held by " + held.holder())
        .containsPattern("\\d+(\\.\\d)? s left")
        .contains("attempt 1");
    fleet.gate.countDown();
    waitUpTo(20).until(() -> state("task t1").equals("done"));
    Row done = row("task t1");
    assertThat(done.holder()).isEqualTo(held.holder());
    assertThat(done.what()).contains("done by " + held.holder());
    assertThat(done.ops()).startsWith("claim:" + held.holder()).endsWith("done:" + held.holder());
    waitUpTo(10)
        .untilAsserted(
            () ->
                assertThat(
                        page.findElement(
                                By.cssSelector("#workers tr[data-worker='" + held.holder() + "']"))
                            .getText())
                    .contains("1 done", "task t1"));
  }

  @Test
  @Order(2)
  void aCanaryApprovedFromThePage_letsTheRolloutProceed() throws Exception {
    postFromPage("rolling-update v2");
    // The canary takes its turn, then the other worker waits for a person's :+1:.
    waitUpTo(30).until(() -> rolled("rolling-update v2") == 1);
    waitUpTo(10).until(() -> state("rolling-update v2").equals("waiting"));
    String ts = row("rolling-update v2").ts();
    waitUpTo(10)
        .until(
            () -> {
              WebElement li =
                  page.findElement(By.cssSelector("#messages > li[data-ts='" + ts + "']"));
              li.findElement(By.cssSelector("select.emoji option[value='+1']")).click();
              li.findElement(By.cssSelector("button.react")).click();
              return true;
            });
    waitUpTo(30).until(() -> state("rolling-update v2").equals("done"));
    assertThat(
            row("rolling-update v2").ops().stream().filter(o -> o.startsWith("rolled:")).sorted())
        .containsExactly("rolled:w-a", "rolled:w-b");
    assertThat(
            page.findElements(
                By.cssSelector("li[data-ts='" + ts + "'] .chip.reaction[data-reaction='+1']")))
        .hasSize(1);
    waitUpTo(10)
        .until(
            () -> {
              screenshot(
                  page.findElement(By.cssSelector("li[data-ts='" + ts + "']"))
                      .getScreenshotAs(OutputType.FILE)
                      .toPath(),
                  "console-timeline.png");
              return true;
            });
  }

  @Test
  @Order(3)
  void aFaultSwitchedOnFromThePage_isCounted() throws Exception {
    By errors = By.cssSelector("button.fault[data-fault='errors']");
    assertThat(page.findElement(errors).getAttribute("aria-pressed")).isEqualTo("false");
    long before = ownErrors();
    page.findElement(errors).click();
    waitUpTo(10).until(() -> "true".equals(page.findElement(errors).getAttribute("aria-pressed")));
    // 20 % of every call now fails with internal_error: the console's own reads meet some.
    waitUpTo(20).until(() -> ownErrors() > before);
    assertThat(page.findElement(By.id("own")).getText()).contains("conversations.history");
    page.findElement(errors).click();
    waitUpTo(10).until(() -> "false".equals(page.findElement(errors).getAttribute("aria-pressed")));
    assertThat(fleet.slack.emulator().faults().toString()).doesNotContain("internal_error=0.2");
  }

  @Test
  @Order(4)
  void aSocketKilledFromThePage_isDropped_andTheWorkerReconnects() {
    By socket = By.cssSelector("#sockets .socket[data-app='slackmq-a']");
    waitUpTo(10).until(() -> page.findElement(socket).getText().contains("slackmq-a (1)"));
    page.findElement(By.cssSelector("#sockets .socket[data-app='slackmq-a'] button.drop")).click();
    waitUpTo(10).until(() -> text("result").equals("ok: 1 connection(s)"));
    // The worker's Socket Mode client reconnects on its own; the tasks below still get done.
    waitUpTo(20).until(() -> page.findElement(socket).getText().contains("slackmq-a (1)"));
  }

  @Test
  @Order(5)
  void whatThePageShows_matchesConversationsReplies() throws Exception {
    List<String> sample = new ArrayList<>();
    for (int i = 2; i <= 5; i++) {
      sample.add(fleet.slack.post("task t" + i));
    }
    waitUpTo(40)
        .until(
            () ->
                sample.stream()
                    .allMatch(ts -> rowByTs(ts).map(r -> r.state().equals("done")).orElse(false)));
    sample.add(row("task t1").ts());
    sample.add(row("rolling-update v2").ts());
    for (String ts : sample) {
      // Give the console a refresh to read the thread's last entries, then compare.
      waitUpTo(10)
          .untilAsserted(
              () -> {
                List<Message> thread =
                    fleet
                        .slack
                        .sdk(fleet.slack.userToken("alice"))
                        .conversationsReplies(
                            q -> q.channel(fleet.slack.channel()).ts(ts).includeAllMetadata(true))
                        .getMessages();
                Row shown = rowByTs(ts).orElseThrow();
                Message parent = thread.get(0);
                boolean done =
                    parent.getReactions() != null
                        && parent.getReactions().stream()
                            .anyMatch(r -> r.getName().equals("white_check_mark"));
                assertThat(shown.state()).isEqualTo(done ? "done" : "waiting");
                List<String> ledger = new ArrayList<>();
                String lastClaim = null;
                for (Message r : thread.subList(1, thread.size())) {
                  String type = r.getMetadata() == null ? null : r.getMetadata().getEventType();
                  if (type != null && type.startsWith("slackmq_")) {
                    String worker =
                        Objects.toString(r.getMetadata().getEventPayload().get("worker"));
                    ledger.add(type.substring(8) + ":" + worker);
                    lastClaim = type.equals("slackmq_claim") ? worker : lastClaim;
                  } else if (r.getText() != null && r.getText().contains("[slackmq rolled w=")) {
                    ledger.add(
                        "rolled:"
                            + r.getText().replaceAll(".*\\[slackmq rolled w=([^\\]]+)\\]$", "$1"));
                  }
                }
                List<String> entries =
                    shown.ops().stream()
                        .filter(o -> !o.startsWith("reply:") && !o.startsWith("done:"))
                        .toList();
                assertThat(entries).as("ledger of %s", ts).isEqualTo(ledger);
                assertThat(shown.holder()).isEqualTo(lastClaim);
                assertThat(shown.what()).contains((thread.size() - 1) + " repl");
              });
    }
    // The counts and the chart: every one of the six was completed while the page watched.
    waitUpTo(10)
        .until(
            () ->
                page.findElement(By.cssSelector("#counts [data-count='done'] b"))
                        .getText()
                        .equals("6")
                    && "6"
                        .equals(
                            page.findElement(By.cssSelector("#legend [data-series='completed']"))
                                .getAttribute("data-value")));
    screenshot(page.getScreenshotAs(OutputType.FILE).toPath(), "console.png");
  }

  @Test
  @Order(6)
  void thePageKeepsItsCollectionsCapped() {
    // A day of updates, pushed through the page's own feed function: more messages than the
    // window, more buckets than the chart, long threads.
    Object sizes =
        page.executeScript(
            "const c = window.slackmqConsole;"
                + "for (let i = 0; i < 1500; i++) {"
                + "  const ts = (1900000000 + i) + '.000100';"
                + "  const timeline = [];"
                + "  for (let j = 0; j < 100; j++) timeline.push({op: 'renew', worker: 'w-' + (i % 300), ts: ts});"
                + "  const series = [];"
                + "  for (let j = 0; j < 500; j++) series.push({t: j, completed: j % 7, inFlight: 1, retries: 0, dead: 0, calls: 9, ratelimited: 0});"
                + "  c.apply({type: 'update', channel: 'C1', local: true, controls: false, timeScale: 60, tickMillis: 250, now: Date.now(),"
                + "    messages: [{ts: ts, text: 'load ' + i, state: 'held', holder: 'w-1', attempts: 1, reactions: [], timeline: timeline, replies: 100, read: true}],"
                + "    removed: [], counts: {}, workers: [], sockets: {}, apps: [], faults: {}, series: series, bucketMillis: 1000, api: [], console: []});"
                + "}"
                + "return c.sizes();");
    @SuppressWarnings("unchecked")
    Map<String, Object> s = (Map<String, Object>) sizes;
    assertThat(((Number) s.get("messages")).intValue()).isEqualTo(200);
    assertThat(((Number) s.get("rows")).intValue()).isEqualTo(200);
    assertThat(((Number) s.get("points")).intValue()).isEqualTo(60);
    assertThat(((Number) s.get("polyline")).intValue()).isEqualTo(60);
    assertThat(page.findElements(By.cssSelector("#messages > li:first-child .timeline .entry")))
        .hasSize(40);
  }

  @Test
  @Order(7)
  void aReadOnlyConsole_hidesTheControls_andRefusesThem() throws Exception {
    try (Console readOnly = Console.start(fleet.console(true))) {
      page.get(readOnly.url());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !page.findElements(By.cssSelector("#messages > li")).isEmpty());
      assertThat(text("mode")).contains("read-only");
      assertThat(page.findElement(By.id("drive")).isDisplayed()).isFalse();
      assertThat(page.findElements(By.cssSelector("button.react"))).isEmpty();
      Object status =
          page.executeAsyncScript(
              "const done = arguments[arguments.length - 1];"
                  + "fetch('/api/post', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                  + " body: JSON.stringify({text: 'sneaky'})}).then(r => done(r.status));");
      assertThat(((Number) status).intValue()).isEqualTo(403);
    }
  }

  private static void postFromPage(String text) {
    WebElement input = page.findElement(By.id("text"));
    input.clear();
    input.sendKeys(text);
    page.findElement(By.id("post")).click();
    waitUpTo(10).until(() -> text("result").startsWith("ok: posted"));
  }

  /** Waits, retrying a look at an element the page replaced meanwhile (it re-renders live). */
  private static ConditionFactory waitUpTo(int seconds) {
    return await()
        .atMost(Duration.ofSeconds(seconds))
        .pollInterval(Duration.ofMillis(50))
        .ignoreException(StaleElementReferenceException.class);
  }

  private static String text(String id) {
    return page.findElement(By.id(id)).getText();
  }

  /** A message as the page shows it, read in one go (the page re-renders between two reads). */
  record Row(String ts, String text, String state, String holder, String what, List<String> ops) {}

  private static List<Row> rows() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows =
        (List<Map<String, Object>>)
            page.executeScript(
                "return [...document.querySelectorAll('#messages > li')].map(li => ({"
                    + " ts: li.dataset.ts, text: li.querySelector('.text').textContent,"
                    + " state: li.dataset.state, holder: li.dataset.holder,"
                    + " what: li.querySelector('.what').textContent,"
                    + " ops: [...li.querySelectorAll('.timeline .entry[data-op]')]"
                    + "   .map(e => e.dataset.op + ':' + e.dataset.worker)}));");
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      @SuppressWarnings("unchecked")
      List<String> ops = (List<String>) r.get("ops");
      out.add(
          new Row(
              (String) r.get("ts"),
              (String) r.get("text"),
              (String) r.get("state"),
              (String) r.get("holder"),
              (String) r.get("what"),
              ops));
    }
    return out;
  }

  private static Optional<Row> rowByTs(String ts) {
    return rows().stream().filter(r -> r.ts().equals(ts)).findFirst();
  }

  private static Row row(String text) {
    return rows().stream()
        .filter(r -> r.text().equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "the page shows no message '" + text + "'\n" + Browser.consoleLog(page)));
  }

  private static String state(String text) {
    return rows().stream()
        .filter(r -> r.text().equals(text))
        .map(Row::state)
        .findFirst()
        .orElse("");
  }

  private static long ownErrors() {
    return Long.parseLong(page.findElement(By.id("own")).getAttribute("data-errors"));
  }

  private static long rolled(String text) {
    return rows().stream()
        .filter(r -> r.text().equals(text))
        .flatMap(r -> r.ops().stream())
        .filter(o -> o.startsWith("rolled:"))
        .count();
  }

  /** Keeps a screenshot in target/console-screenshots, and in -Dconsole.screenshots if set. */
  private static void screenshot(Path png, String name) throws Exception {
    Path target = Path.of("target", "console-screenshots");
    Files.createDirectories(target);
    Files.copy(png, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    String docs = System.getProperty("console.screenshots");
    if (docs != null && !docs.isBlank()) {
      Files.copy(png, Path.of(docs).resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
