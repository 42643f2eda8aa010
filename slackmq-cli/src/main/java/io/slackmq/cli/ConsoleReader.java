package io.slackmq.cli;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import io.slackmq.cli.ConsoleView.MessageView;
import io.slackmq.core.ApiCalls;
import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import io.slackmq.core.SlackApi;
import io.slackmq.core.SlackMQException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the queue through the Web API, like {@code slackmq status}, on one thread: per refresh one
 * {@code conversations.history} and at most {@link ConsoleBudget#repliesPerTick} thread reads
 * (core's {@link LockClient#inspect}, whose one {@code conversations.replies} also gives the ledger
 * for the timeline), all paced within the app's budget, which the console shares with the app's
 * workers in this JVM. On the local Slack it also samples the admin API (free: not the Web API).
 * Each refresh hands a whole {@link ConsoleView} to the sink.
 */
final class ConsoleReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleReader.class);

  private final ConsoleSettings settings;
  private final ConsoleLocal local;
  private final ConsoleBudget budget;
  private final double timeScale;
  private final SlackApi api;
  private final LockClient locks;
  private final List<Message> thread = new ArrayList<>();
  private final ConsoleModel model;
  private final ConsoleSeries series;
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final String person;
  private final Consumer<ConsoleView> sink;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "slackmq-console-reader");
            t.setDaemon(true);
            return t;
          });
  private int ticks;

  /**
   * {@code local}: the local Slack's admin API, or null on real Slack; {@code person}: who the page
   * acts as (null: nobody); {@code sink}: takes each refresh's view.
   */
  ConsoleReader(
      ConsoleSettings settings, ConsoleLocal local, String person, Consumer<ConsoleView> sink) {
    this.settings = settings;
    this.local = local;
    this.person = person;
    this.sink = sink;
    this.timeScale = timeScale(settings, local);
    this.budget = ConsoleBudget.of(timeScale, local == null || local.rateLimited);
    SlackApi.Listener countErrors =
        new SlackApi.Listener() {
          @Override
          public void answered(String method, String error) {
            if (error != null && !error.equals("ratelimited")) {
              errors.computeIfAbsent(method, k -> new LongAdder()).increment();
            }
          }
        };
    MethodsClient sdk =
        SlackApi.client(settings.apiUrl(), settings.botToken(), Duration.ofSeconds(10));
    this.api =
        SlackApi.builder(sdk)
            .pacing(settings.apiUrl(), settings.botToken())
            .timeScale(timeScale)
            .listener(countErrors)
            .build();
    this.locks =
        LockClient.builder()
            .methods(recording(sdk))
            .apiUrl(settings.apiUrl())
            .token(settings.botToken()) // identifies the app's budget, shared with its workers
            .timeScale(timeScale)
            .workerId("slackmq-console")
            .listener(countErrors)
            .build();
    this.model =
        new ConsoleModel(
            settings.limit(),
            new ConsoleModel.Emoji(locks.lockEmoji(), locks.doneEmoji(), locks.deadEmoji()),
            local == null ? id -> id : local::name);
    this.series = new ConsoleSeries(timeScale);
  }

  /** The time scale: as told, else the local Slack's, else real time. */
  static double timeScale(ConsoleSettings settings, ConsoleLocal local) {
    if (settings.timeScale() != null) {
      return settings.timeScale();
    }
    return local == null ? 1 : local.timeScale;
  }

  ConsoleBudget budget() {
    return budget;
  }

  /** Starts refreshing now, then every tick of the budget. */
  ConsoleReader start() {
    timer.scheduleWithFixedDelay(this::tick, 0, budget.tick().toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The SDK client that the lock client reads through: it keeps the pages of the thread read that
   * {@link LockClient#inspect} makes, so that one {@code conversations.replies} gives both core's
   * verdict (the ledger's fold stays in core) and the timeline.
   */
  private MethodsClient recording(MethodsClient sdk) {
    return (MethodsClient)
        Proxy.newProxyInstance(
            MethodsClient.class.getClassLoader(),
            new Class<?>[] {MethodsClient.class},
            (proxy, method, args) -> {
              Object r;
              try {
                r = method.invoke(sdk, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (r instanceof ConversationsRepliesResponse c
                  && c.isOk()
                  && c.getMessages() != null) {
                synchronized (thread) {
                  // Every page starts with the parent: keep it once.
                  thread.addAll(
                      thread.isEmpty()
                          ? c.getMessages()
                          : c.getMessages().subList(1, c.getMessages().size()));
                }
              }
              return r;
            });
  }

  private void tick() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // Keep refreshing: a scheduled task that throws is never run again.
      log.warn("console refresh failed: {}", e.toString());
    }
  }

  private void refresh() {
    long now = System.currentTimeMillis();
    String error = null;
    String channel = settings.channel();
    try {
      model.history(
          api.call(
                  "conversations.history",
                  m -> m.conversationsHistory(q -> q.channel(channel).limit(settings.limit())))
              .getMessages());
      for (String ts : model.toRead(budget.repliesPerTick())) {
        synchronized (thread) {
          thread.clear();
        }
        try {
          MessageState state = locks.inspect(channel, ts);
          synchronized (thread) {
            model.thread(ts, state, List.copyOf(thread));
          }
        } catch (SlackMQException e) {
          model.readFailed(ts, e.getMessage());
        }
      }
    } catch (SlackMQException e) {
      error = "conversations.history: " + e.getMessage();
    }
    ConsoleLocal.Sample sample = null;
    if (local != null) {
      try {
        sample = local.sample();
        if (++ticks % 20 == 0) {
          local.refreshNames(); // apps and people added since
        }
      } catch (IOException e) {
        error = e.getMessage();
      }
    }
    List<MessageView> messages = model.messages(now);
    ApiCalls own = api.calls().plus(locks.calls());
    Map<String, ApiCalls> calls = sample == null ? null : sample.calls();
    series.record(now, messages, model::initial, calls, own);
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
    sink.accept(
        new ConsoleView(
            "snapshot",
            channel,
            local != null,
            local != null && !settings.readOnly(),
            person,
            timeScale,
            budget.tick().toMillis(),
            System.currentTimeMillis(),
            messages,
            List.of(),
            ConsoleModel.counts(messages),
            model.workers(messages),
            sample == null ? Map.of() : sample.sockets(),
            local == null ? List.of() : local.apps(),
            sample == null ? Map.of() : sample.faults(),
            series.points(),
            series.bucketMillis(),
            series.api(calls, local == null ? id -> id : local::name),
            series.console(own, errorCounts),
            error));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    locks.close();
  }
}
