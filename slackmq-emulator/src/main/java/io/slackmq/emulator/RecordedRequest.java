package io.slackmq.emulator;

import java.time.Instant;
import java.util.Map;

/**
 * One Web API call as the emulator answered it, for assertions in tests ({@link
 * Emulator#requests()}, {@link Emulator#takeRequest}).
 *
 * @param method the method called, as the client named it ({@code chat.postMessage}), also when it
 *     is not a method the emulator knows
 * @param params the call's parameters (query, form or JSON; the first value of a repeated one); a
 *     {@code token} parameter is kept as {@link #MASKED}, never its value
 * @param caller the caller's name: the app's ({@code slackmq-a}) for a bot or app-level token, the
 *     person's ({@code alice}) for a user token; null when the token was missing or unknown
 * @param time when the emulator answered
 * @param status the HTTP status of the answer (200 also for Slack's {@code ok:false} errors; 429
 *     for a rate limit)
 * @param ok the answer's {@code ok}
 * @param error the answer's {@code error} code when not ok ({@code ratelimited}, {@code
 *     channel_not_found}), else null
 */
public record RecordedRequest(
    String method,
    Map<String, String> params,
    String caller,
    Instant time,
    int status,
    boolean ok,
    String error) {

  /** What a recorded {@code token} parameter holds instead of the token. */
  public static final String MASKED = "***";

  /** The parameters are copied: a record never changes after the call. */
  public RecordedRequest {
    params = Map.copyOf(params);
  }

  /** The value of parameter {@code name}, or null when the call did not send it. */
  public String param(String name) {
    return params.get(name);
  }

  /** {@code chat.postMessage by slackmq-a: ok} or {@code pins.add by slackmq-b: already_pinned}. */
  @Override
  public String toString() {
    return method
        + " by "
        + (caller == null ? "(no valid token)" : caller)
        + ": "
        + (ok ? "ok" : error + (status == 200 ? "" : " (HTTP " + status + ")"));
  }
}
