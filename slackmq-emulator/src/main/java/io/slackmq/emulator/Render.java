package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Slack's JSON for stored objects, as the Web API and events show them. Call under the workspace
 * lock: it reads live state.
 */
final class Render {
  private Render() {}

  /**
   * A message as {@code conversations.history}, {@code chat.postMessage} and the events show it.
   *
   * <p>A post by a (granular) app carries {@code user} = the bot user, {@code bot_id}, {@code
   * app_id} and {@code bot_profile}, and no subtype: that is how current Slack marks bot posts. A
   * thread parent with replies carries {@code thread_ts}, {@code reply_count}, {@code reply_users},
   * {@code reply_users_count} and {@code latest_reply}; a reply carries {@code thread_ts} and
   * {@code parent_user_id}. {@code is_starred} appears only when {@code viewerUserId} starred the
   * message (stars are private to their user).
   *
   * @param viewerUserId the user the response is for; null renders no {@code is_starred}
   */
  /** A post that was answered ok but not stored (the lost-posts fault): what the answer shows. */
  static ObjectNode unstored(Mutation.MessagePosted post, Workspace.Principal p) {
    ObjectNode json = Json.object().put("type", "message").put("ts", Ts.format(post.ts()));
    json.put("user", post.user());
    if (post.botId() != null) {
      json.put("bot_id", post.botId()).put("app_id", post.appId());
    }
    json.put("text", post.text() == null ? "" : post.text());
    if (post.threadTs() != null) {
      json.put("thread_ts", Ts.format(post.threadTs()));
    }
    return json;
  }

  static ObjectNode message(Channel ch, Message m, String viewerUserId) {
    return message(ch, m, viewerUserId, false);
  }

  /**
   * As above; {@code allMetadata}: the metadata's payload too ({@code include_all_metadata}), else
   * its {@code event_type} alone, as Slack answers.
   */
  static ObjectNode message(Channel ch, Message m, String viewerUserId, boolean allMetadata) {
    ObjectNode json = Json.object().put("type", "message");
    if (m.subtype != null) {
      json.put("subtype", m.subtype);
    }
    json.put("ts", Ts.format(m.ts));
    if (m.user != null) {
      json.put("user", m.user);
    }
    if (m.botId != null) {
      json.put("bot_id", m.botId);
    }
    if (m.appId != null) {
      json.put("app_id", m.appId);
    }
    json.put("text", m.text() == null ? "" : m.text());
    json.put("team", ch.team.id);
    if (m.botId != null) {
      botProfile(json, ch, m);
    }
    if (m.editedBy() != null) {
      json.putObject("edited").put("user", m.editedBy()).put("ts", Ts.format(m.editedTs()));
    }
    thread(json, ch, m);
    if (m.metadata() != null) {
      json.set("metadata", MessageMetadata.render(m.metadata(), allMetadata));
    }
    if (!m.emoji().isEmpty()) {
      ArrayNode reactions = json.putArray("reactions");
      for (String name : m.emoji()) {
        Set<String> reactors = m.reactors(name);
        ObjectNode r = reactions.addObject().put("name", name).put("count", reactors.size());
        ArrayNode users = r.putArray("users");
        reactors.forEach(users::add);
      }
    }
    if (m.pin() != null) {
      json.putArray("pinned_to").add(ch.id);
    }
    if (viewerUserId != null && m.isStarredBy(viewerUserId)) {
      json.put("is_starred", true);
    }
    return json;
  }

  private static void botProfile(ObjectNode json, Channel ch, Message m) {
    App app = m.appId == null ? null : ch.team.app(m.appId);
    ObjectNode profile =
        json.putObject("bot_profile")
            .put("id", m.botId)
            .put("deleted", false)
            .put("name", app == null ? m.botId : app.name)
            .put("team_id", ch.team.id);
    if (m.appId != null) {
      profile.put("app_id", m.appId);
    }
  }

  private static void thread(ObjectNode json, Channel ch, Message m) {
    if (m.isReply()) {
      json.put("thread_ts", Ts.format(m.threadTs));
      Message parent = ch.message(m.threadTs);
      if (parent != null && parent.user != null) {
        json.put("parent_user_id", parent.user);
      }
      return;
    }
    if (m.replies().isEmpty()) {
      return;
    }
    Set<String> replyUsers = new LinkedHashSet<>();
    for (Long replyTs : m.replies()) {
      Message reply = ch.message(replyTs);
      if (reply != null && reply.user != null) {
        replyUsers.add(reply.user);
      }
    }
    json.put("thread_ts", Ts.format(m.ts))
        .put("reply_count", m.replies().size())
        .put("reply_users_count", replyUsers.size())
        .put("latest_reply", Ts.format(m.replies().last()));
    ArrayNode users = json.putArray("reply_users");
    replyUsers.forEach(users::add);
  }

  /**
   * A channel as conversations.info, .list, .create and .join show it. {@code is_member} is for
   * {@code viewerUserId}. The emulator has no archiving, topics or purposes: they render empty.
   */
  static ObjectNode channel(Channel ch, String viewerUserId) {
    ObjectNode json =
        Json.object()
            .put("id", ch.id)
            .put("name", ch.name)
            .put("is_channel", !ch.isPrivate)
            .put("is_group", ch.isPrivate)
            .put("is_im", false)
            .put("is_mpim", false)
            .put("is_private", ch.isPrivate)
            .put("created", ch.created)
            .put("is_archived", false)
            .put("is_general", false)
            .put("unlinked", 0)
            .put("name_normalized", ch.name)
            .put("is_shared", false)
            .put("is_org_shared", false)
            .put("is_ext_shared", false)
            .put("is_pending_ext_shared", false)
            .put("context_team_id", ch.team.id)
            .put("is_member", ch.isMember(viewerUserId))
            .put("num_members", ch.members().size());
    if (ch.creator != null) {
      json.put("creator", ch.creator);
    }
    json.putObject("topic").put("value", "").put("creator", "").put("last_set", 0);
    json.putObject("purpose").put("value", "").put("creator", "").put("last_set", 0);
    return json;
  }
}
