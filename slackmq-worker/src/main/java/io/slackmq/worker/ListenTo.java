package io.slackmq.worker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a listener, as python-slackbot's {@code @listen_to}: the method takes one
 * {@link MessageContext} and is registered by {@link SlackMQWorker#register(Object)}.
 *
 * <pre>{@code
 * class Ops {
 *   @ListenTo("^hostname$")
 *   void hostname(MessageContext m) { m.reply("I am running on " + host); }
 * }
 * worker.register(new Ops());
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ListenTo {
  /** The regex (RE2 syntax, matched in linear time), searched in the message text. */
  String value();

  /** The delivery mode; default {@link Delivery#ONE}. */
  Delivery delivery() default Delivery.ONE;

  /** Channel ids that may trigger it; empty = every served channel. */
  String[] channels() default {};

  /** User ids that may trigger it; empty = everyone. */
  String[] users() default {};

  /** Whether messages posted by other bots trigger it; default false. */
  boolean allowBots() default false;

  /**
   * Only messages that mention this bot ({@code <@U...>}, the mention stripped before matching).
   */
  boolean mention() default false;
}
