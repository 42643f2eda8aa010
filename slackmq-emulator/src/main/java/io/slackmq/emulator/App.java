package io.slackmq.emulator;

import io.slackmq.emulator.Mutation.AppCreated;
import io.slackmq.emulator.Mutation.AppUpdated;
import java.util.List;

/**
 * An installed app: its bot user, tokens and signing secret (fixed), and its scopes, event
 * subscriptions and request URL, which an {@link AppUpdated} replaces. Those are volatile because
 * delivery and Socket Mode read them outside the workspace lock; only {@link Workspace}'s apply
 * step calls {@link #update}.
 */
final class App {
  final String id;
  final Team team;
  final String name;
  final User botUser;
  final String botId;
  final String botToken;
  final String appToken;
  final String signingSecret;
  private volatile List<String> botScopes;
  private volatile List<String> events;
  private volatile String requestUrl;
  private volatile boolean nonMarketplace2025;

  App(AppCreated c, Team team, User botUser) {
    this.id = c.id();
    this.team = team;
    this.name = c.name();
    this.botUser = botUser;
    this.botId = c.botId();
    this.botToken = c.botToken();
    this.appToken = c.appToken();
    this.signingSecret = c.signingSecret();
    this.botScopes = List.copyOf(c.botScopes());
    this.events = List.copyOf(c.events());
    this.requestUrl = c.requestUrl();
    this.nonMarketplace2025 = c.nonMarketplace2025();
  }

  List<String> botScopes() {
    return botScopes;
  }

  /** The Events API subscriptions ({@code message.channels}, {@code pin_added}, ...). */
  List<String> events() {
    return events;
  }

  /** Where the Events API posts; null: Socket Mode only. */
  String requestUrl() {
    return requestUrl;
  }

  /** Whether the 2025 non-Marketplace terms apply (history and replies capped at 15). */
  boolean nonMarketplace2025() {
    return nonMarketplace2025;
  }

  /** For {@link Workspace}'s apply step only. */
  void update(AppUpdated c) {
    this.requestUrl = c.requestUrl();
    this.events = List.copyOf(c.events());
    this.botScopes = List.copyOf(c.botScopes());
    this.nonMarketplace2025 = c.nonMarketplace2025();
  }

  @Override
  public String toString() {
    return "App[" + id + " " + name + "]"; // never the tokens or the secret
  }
}
