package io.slackmq.emulator;

/** A human or an app's bot user. Immutable: nothing about a user changes after it is created. */
final class User {
  final String id;
  final Team team;
  final String name;
  final String realName;
  final boolean isBot;
  final String botId;
  final String appId;

  User(
      String id,
      Team team,
      String name,
      String realName,
      boolean isBot,
      String botId,
      String appId) {
    this.id = id;
    this.team = team;
    this.name = name;
    this.realName = realName;
    this.isBot = isBot;
    this.botId = botId;
    this.appId = appId;
  }
}
