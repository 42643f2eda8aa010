package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Methods.Method;
import io.slackmq.emulator.Workspace.Principal;
import io.slackmq.emulator.Workspace.TokenKind;

/** api.test and auth.test: every token kind may call auth.test (the SDK does so silently). */
final class AuthMethods {
  private AuthMethods() {}

  static void register(Methods methods) {
    methods.put(new Method("api.test", Tier.SPECIAL_AUTH, false, false, AuthMethods::apiTest));
    methods.add("auth.test", Tier.SPECIAL_AUTH, AuthMethods::authTest);
  }

  private static ObjectNode apiTest(ApiRequest r) {
    String error = r.param("error");
    if (error != null) {
      throw new SlackError(error);
    }
    ObjectNode ok = Json.ok();
    ObjectNode args = ok.putObject("args");
    r.params()
        .forEach(
            (k, v) -> {
              if (!k.equals("token")) {
                args.put(k, v);
              }
            });
    return ok;
  }

  private static ObjectNode authTest(ApiRequest r) {
    Principal p = r.principal();
    ObjectNode ok =
        Json.ok()
            .put("url", "https://" + p.team().domain + ".slack.com/")
            .put("team", p.team().name)
            .put("user", p.user().name)
            .put("team_id", p.team().id)
            .put("user_id", p.user().id);
    if (p.kind() == TokenKind.BOT || p.kind() == TokenKind.APP) {
      ok.put("bot_id", p.app().botId);
      ok.put("app_id", p.app().id);
    }
    ok.put("is_enterprise_install", false);
    return ok;
  }
}
