package io.slackmq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slackmq.worker.SlackMQWorker;
import java.util.function.Supplier;

/**
 * {@code slackmq worker --http-port}: {@code /metrics} (Prometheus text format, from Micrometer's
 * Prometheus registry: the worker's meters and the JVM's), {@code /healthz} (200 while the worker
 * is live) and {@code /readyz} (200 while it is ready: {@link SlackMQWorker#health()}), each 503
 * with the reasons otherwise. Stopped after the worker, so that a supervisor sees {@code /readyz}
 * turn 503 as soon as a stop begins, while running work still finishes.
 */
final class Monitor implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Javalin http;

  Monitor() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Serves the endpoints for {@code worker} on {@code host:port} (0: any free port). */
  Monitor start(String host, int port, Supplier<SlackMQWorker.Health> health) {
    http =
        Javalin.create(
                c -> {
                  c.showJavalinBanner = false;
                  c.startupWatcherEnabled = false;
                })
            .get(
                "/metrics",
                ctx ->
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(registry.scrape()))
            .get("/healthz", ctx -> answer(ctx, health.get(), true))
            .get("/readyz", ctx -> answer(ctx, health.get(), false))
            .start(host, port);
    return this;
  }

  int port() {
    return http.port();
  }

  private static void answer(Context ctx, SlackMQWorker.Health h, boolean liveness) {
    boolean up = liveness ? h.live() : h.ready();
    ObjectNode body = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
    body.put("live", h.live()).put("ready", h.ready());
    h.reasons().forEach(body.putArray("reasons")::add);
    ctx.status(up ? 200 : 503).contentType("application/json").result(body.toString());
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop();
    }
    registry.close();
  }
}
