package io.slackmq.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Faults.DisconnectReason;
import io.slackmq.emulator.Faults.ErrorKind;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The JSON form of {@link Faults}, for the admin API and config files (docs/EMULATOR.md). */
final class FaultsJson {
  private FaultsJson() {}

  static JsonNode parse(String json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("faults: not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("faults: expected a JSON object");
    }
    return root;
  }

  /** Applies a description; absent fields keep their value. Callers hold the faults' monitor. */
  static void apply(Faults f, JsonNode root) {
    if (root.has("seed")) {
      f.seed(root.get("seed").asLong());
    }
    JsonNode race = root.path("raceWindow");
    if (race.has("delayMillis")) {
      f.raceDelay(Duration.ofMillis(race.get("delayMillis").asLong()));
    }
    if (race.has("millis")) {
      f.raceWindow(Duration.ofMillis(race.get("millis").asLong()));
    }
    if (root.has("timeoutHoldMillis")) {
      f.timeoutHold(Duration.ofMillis(root.get("timeoutHoldMillis").asLong()));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("methods").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      JsonNode spec = m.getValue();
      for (ErrorKind kind : ErrorKind.values()) {
        if (spec.has(kind.wire)) {
          f.errorRate(m.getKey(), kind, spec.get(kind.wire).asDouble());
        }
      }
      if (spec.has("latencyMillis") || spec.has("jitterMillis")) {
        f.latency(
            m.getKey(),
            Duration.ofMillis(spec.path("latencyMillis").asLong(0)),
            Duration.ofMillis(spec.path("jitterMillis").asLong(0)));
      }
    }
    JsonNode sockets = root.path("sockets");
    if (sockets.has("refuseRate")) {
      f.refuseConnections(sockets.get("refuseRate").asDouble());
    }
    if (sockets.has("dropRate")) {
      f.dropConnections(sockets.get("dropRate").asDouble());
    }
    if (sockets.has("disconnectEveryMillis")) {
      f.disconnectEvery(
          Duration.ofMillis(sockets.get("disconnectEveryMillis").asLong()),
          sockets.has("disconnectReason")
              ? DisconnectReason.parse(sockets.get("disconnectReason").asText())
              : f.scheduledReason());
    }
    JsonNode events = root.path("events");
    if (events.has("delayMillis") || events.has("jitterMillis")) {
      f.delayEvents(
          Duration.ofMillis(events.path("delayMillis").asLong(0)),
          Duration.ofMillis(events.path("jitterMillis").asLong(0)));
    }
    if (events.has("duplicateRate")) {
      f.duplicateEvents(events.get("duplicateRate").asDouble());
    }
    if (events.has("lateRate") || events.has("lateMaxMillis")) {
      f.lateEvents(
          events.path("lateRate").asDouble(0),
          Duration.ofMillis(events.path("lateMaxMillis").asLong(0)));
    }
    JsonNode c = root.path("consistency");
    if (c.has("readLagMinMillis") || c.has("readLagMaxMillis") || c.has("readLagDistribution")) {
      f.readLag(
          Duration.ofMillis(c.path("readLagMinMillis").asLong(0)),
          Duration.ofMillis(c.path("readLagMaxMillis").asLong(0)),
          distribution(c.path("readLagDistribution").asText("uniform")));
    }
    if (c.has("ownWritesVisible")) {
      f.ownWritesVisible(c.get("ownWritesVisible").asBoolean());
    }
    if (c.has("lostPostRate")) {
      f.lostPosts(c.get("lostPostRate").asDouble());
    }
    if (c.has("lostPostBurstPerSecond")) {
      f.lostPostsAboveBurst(c.get("lostPostBurstPerSecond").asInt());
    }
    if (c.has("duplicatePostRate")) {
      f.duplicatePosts(c.get("duplicatePostRate").asDouble());
    }
  }

  private static Faults.LagDistribution distribution(String name) {
    for (Faults.LagDistribution d : Faults.LagDistribution.values()) {
      if (d.name().equalsIgnoreCase(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "faults: consistency.readLagDistribution must be uniform or exponential, was " + name);
  }

  /** The current faults in the form {@link #apply} accepts. */
  static ObjectNode write(
      long seed,
      RaceWindowFaults race,
      WebApiFaults web,
      SocketFaults sockets,
      EventFaults events,
      ConsistencyFaults consistency) {
    ObjectNode out = Json.object().put("seed", seed);
    out.putObject("raceWindow")
        .put("millis", race.remainingMillis())
        .put("delayMillis", race.delayMillis());
    out.put("timeoutHoldMillis", web.timeoutHoldMillis());
    ObjectNode methods = out.putObject("methods");
    Map<String, ObjectNode> byMethod = new TreeMap<>();
    web.forEachErrorRate(
        (method, rates) ->
            rates.forEach(
                (kind, rate) ->
                    byMethod.computeIfAbsent(method, k -> Json.object()).put(kind.wire, rate)));
    web.forEachLatency(
        (method, l) ->
            byMethod
                .computeIfAbsent(method, k -> Json.object())
                .put("latencyMillis", l.fixedMillis())
                .put("jitterMillis", l.jitterMillis()));
    byMethod.forEach(methods::set);
    out.putObject("sockets")
        .put("refuseRate", sockets.refuseRate())
        .put("dropRate", sockets.dropRate())
        .put("disconnectEveryMillis", sockets.disconnectEveryMillis())
        .put("disconnectReason", sockets.scheduledReason().wire);
    out.putObject("events")
        .put("delayMillis", events.fixedDelayMillis())
        .put("jitterMillis", events.jitterMillis())
        .put("duplicateRate", events.duplicateRate())
        .put("lateRate", events.lateRate())
        .put("lateMaxMillis", events.lateMaxMillis());
    out.putObject("consistency")
        .put("readLagMinMillis", consistency.minLagMicros() / 1000)
        .put("readLagMaxMillis", consistency.maxLagMicros() / 1000)
        .put("readLagDistribution", consistency.distribution().name().toLowerCase(Locale.ROOT))
        .put("ownWritesVisible", consistency.ownWritesVisible())
        .put("lostPostRate", consistency.lostRate())
        .put("lostPostBurstPerSecond", consistency.burstPerSecond())
        .put("duplicatePostRate", consistency.duplicateRate());
    return out;
  }
}
