package io.slackmq.emulator;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Slack workspace as the API sees it ("team"): identity plus its apps. Read it under the
 * workspace lock; only {@link Workspace}'s apply step calls the mutator ({@link #addApp}), so every
 * change is a committed {@link Mutation}.
 */
final class Team {
  final String id;
  final String name;
  final String domain;

  /** This team's apps by id, so a message can name the app that posted it (bot_profile). */
  private final Map<String, App> apps = new LinkedHashMap<>();

  private final Collection<App> appsView = Collections.unmodifiableCollection(apps.values());

  Team(String id, String name, String domain) {
    this.id = id;
    this.name = name;
    this.domain = domain;
  }

  /** This team's app with that id, or null. */
  App app(String appId) {
    return apps.get(appId);
  }

  /** This team's apps in creation order (a live, read-only view). */
  Collection<App> apps() {
    return appsView;
  }

  /** For {@link Workspace}'s apply step only. */
  void addApp(App app) {
    apps.put(app.id, app);
  }
}
