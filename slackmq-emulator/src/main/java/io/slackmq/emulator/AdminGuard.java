package io.slackmq.emulator;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;

/**
 * What stands before the admin API ({@code /_emulator/}), which can reset the workspace and print
 * its secrets: a page in the user's browser must not be able to drive it.
 *
 * <ul>
 *   <li>the {@code Host} header must name this emulator (loopback, or the address it was bound to):
 *       a rebinding DNS name pointing at 127.0.0.1 is refused;
 *   <li>a POST must carry a JSON body ({@code application/json}), which a cross-origin page can
 *       only send after a CORS preflight that nothing here answers; a {@code text/plain} form post
 *       is refused before it is read;
 *   <li>bound beyond loopback, every request needs {@code Authorization: Bearer <admin token>}, the
 *       token printed at start.
 * </ul>
 */
final class AdminGuard implements Handler {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final Set<String> EVERY_INTERFACE = Set.of("0.0.0.0", "::", "[::]", "");

  private final String boundHost;
  private final String token;

  AdminGuard(String boundHost, String token) {
    this.boundHost = boundHost.toLowerCase(Locale.ROOT);
    this.token = token;
  }

  /** Whether an emulator bound to {@code host} can be reached from other machines. */
  static boolean beyondLoopback(String host) {
    return !LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
  }

  /** A fresh admin token: 24 random characters. */
  static String newToken() {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder("xemu-");
    for (int i = 0; i < 24; i++) {
      b.append(Character.forDigit(random.nextInt(36), 36));
    }
    return b.toString();
  }

  @Override
  public void handle(Context ctx) {
    String reason = refusal(ctx);
    if (reason != null) {
      int status =
          reason.startsWith("bad_host") ? 403 : reason.startsWith("not_authed") ? 401 : 415;
      ctx.status(status)
          .contentType("application/json; charset=utf-8")
          .result(
              Json.object()
                  .put("ok", false)
                  .put("error", reason.substring(0, reason.indexOf(':')))
                  .put("message", reason.substring(reason.indexOf(':') + 2))
                  .toString());
      ctx.skipRemainingHandlers();
    }
  }

  /** Why {@code ctx} is refused ("code: message"), or null. */
  private String refusal(Context ctx) {
    if (!allowedHost(ctx.header("Host"), ctx.req().getLocalPort())) {
      return "bad_host: the admin API answers only requests addressed to this emulator";
    }
    if (token != null && !sameSecret("Bearer " + token, ctx.header("Authorization"))) {
      return "not_authed: bound beyond loopback, the admin API needs Authorization: Bearer"
          + " <the admin token printed at start>";
    }
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (ctx.method() == HandlerType.POST && !type.startsWith("application/json")) {
      return "json_required: admin API changes take a JSON body (Content-Type: application/json)";
    }
    return null;
  }

  private boolean allowedHost(String header, int port) {
    if (header == null) {
      return false;
    }
    String h = header.trim().toLowerCase(Locale.ROOT);
    String name = h;
    int colon = h.lastIndexOf(':');
    if (colon > 0 && !h.endsWith("]")) {
      if (!h.substring(colon + 1).equals(Integer.toString(port))) {
        return false;
      }
      name = h.substring(0, colon);
    }
    return LOOPBACK.contains(name)
        || name.equals(boundHost)
        || (EVERY_INTERFACE.contains(boundHost) && token != null);
  }

  private static boolean sameSecret(String expected, String given) {
    return given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
