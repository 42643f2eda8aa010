package io.slackmq.worker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/** The listeners declared by {@link ListenTo} methods of an object. */
final class ListenToMethods {
  private ListenToMethods() {}

  /**
   * A listener per method of {@code target} annotated {@link ListenTo}, in declaration order.
   *
   * @throws IllegalArgumentException if an annotated method does not take one MessageContext
   */
  static List<Listener> of(Object target) {
    List<Listener> out = new ArrayList<>();
    for (Method m : target.getClass().getDeclaredMethods()) {
      ListenTo a = m.getAnnotation(ListenTo.class);
      if (a == null) {
        continue;
      }
      if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != MessageContext.class) {
        throw new IllegalArgumentException(
            "@ListenTo method " + m.getName() + " must take exactly one MessageContext");
      }
      m.setAccessible(true);
      Handler h =
          ctx -> {
            try {
              m.invoke(target, ctx);
            } catch (InvocationTargetException e) {
              throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
          };
      out.add(
          new Listener(Listener.compile(a.value()), a.delivery(), h, a.mention())
              .inChannels(a.channels())
              .fromUsers(a.users())
              .allowBots(a.allowBots()));
    }
    return out;
  }
}
