package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** The Web API catalogue: method name to tier and handler. Method groups register here. */
final class Methods {
  interface Handler {
    ObjectNode handle(ApiRequest request);
  }

  /**
   * @param authRequired false only for api.test, which Slack answers without a token
   * @param perChannel rate-limited per channel as well as per app (chat.postMessage)
   */
  record Method(
      String name, Tier tier, boolean authRequired, boolean perChannel, Handler handler) {}

  private final Map<String, Method> byName = new TreeMap<>();

  void add(String name, Tier tier, Handler handler) {
    put(new Method(name, tier, true, false, handler));
  }

  void put(Method method) {
    if (byName.putIfAbsent(method.name(), method) != null) {
      throw new IllegalStateException("method registered twice: " + method.name());
    }
  }

  Method get(String name) {
    return byName.get(name);
  }

  Map<String, Method> all() {
    return byName;
  }
}
