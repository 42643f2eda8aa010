package io.slackmq.junit;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The local Slack as a JUnit 5 extension, and the {@link LocalSlack} it runs: declared with {@link
 * LocalSlackTest @LocalSlackTest}, or registered with options, like WireMock's extension:
 *
 * <pre>{@code
 * @RegisterExtension
 * static LocalSlackExtension slack =
 *     LocalSlackExtension.builder().apps("deploy-bot").timeScale(60).build();
 *
 * @Test
 * void deploys() {
 *   String ts = slack.post("deploy web-7");   // the extension is the LocalSlack
 *   ...
 * }
 * }</pre>
 *
 * <p>Scope: in a static field (or declared by annotation) one local Slack serves the whole class
 * and its {@code @Nested} classes; in an instance field each test gets its own, started before and
 * stopped after it. A shared one is reset before each test unless {@code resetBetweenTests} is
 * false; tokens and ids stay the same across the class. Test, lifecycle and constructor parameters
 * of type {@link LocalSlack} receive it.
 */
public final class LocalSlackExtension extends LocalSlack
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  /** Null when declared: then the {@link LocalSlackTest} annotation (or the defaults) decide. */
  private final Builder options;

  private boolean perTest;
  private int nestedClasses;

  /** For {@code @ExtendWith}: the options come from {@link LocalSlackTest}, else the defaults. */
  public LocalSlackExtension() {
    this(null);
  }

  private LocalSlackExtension(Builder options) {
    this.options = options;
  }

  /** Options for {@code @RegisterExtension}; {@link Builder#build()} makes the extension. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (isRunning()) {
      nestedClasses++; // a @Nested class shares its outer class's local Slack
      return;
    }
    start(context);
    perTest = false;
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (!isRunning()) {
      start(context); // an instance field: this test's own local Slack
      perTest = true;
    } else if (options(context).resetBetweenTests) {
      reset();
    }
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    if (perTest) {
      close();
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (nestedClasses > 0) {
      nestedClasses--;
    } else if (!perTest) {
      close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalSlack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (!isRunning()) {
      // Not reached through JUnit's own order (callbacks before parameters); said all the same.
      throw new ParameterResolutionException(
          "the local Slack of " + owner(context) + " is not running (yet, or any more)");
    }
    return this;
  }

  private void start(ExtensionContext context) {
    Builder o = options(context);
    open(o.emulator(), o.port(), owner(context));
  }

  private Builder options(ExtensionContext context) {
    if (options != null) {
      return options;
    }
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      Optional<LocalSlackTest> a = AnnotationSupport.findAnnotation(c, LocalSlackTest.class);
      if (a.isPresent()) {
        return fromAnnotation(a.get());
      }
    }
    return new Builder();
  }

  private static Builder fromAnnotation(LocalSlackTest a) {
    Builder b = new Builder().timeScale(a.timeScale()).seed(a.seed()).port(a.port());
    if (a.apps().length > 0) {
      b.apps(a.apps());
    }
    if (a.people().length > 0) {
      b.people(a.people());
    }
    if (a.channels().length > 0) {
      b.channels(a.channels());
    }
    if (a.slackRateLimits()) {
      b.slackRateLimits();
    }
    return b.resetBetweenTests(a.resetBetweenTests());
  }

  private static String owner(ExtensionContext context) {
    return context.getTestMethod().isPresent()
        ? context.getRequiredTestClass().getName() + "." + context.getRequiredTestMethod().getName()
        : context.getRequiredTestClass().getName();
  }

  /** {@code LocalSlackExtension[http://127.0.0.1:41234/api/]}, or {@code [not running]}. */
  @Override
  public String toString() {
    return "LocalSlackExtension[" + (isRunning() ? apiUrl() : "not running") + "]";
  }

  /** {@link LocalSlackExtension#builder()}: options, then {@link #build()}. */
  public static final class Builder extends LocalSlackOptions<Builder> {
    private boolean resetBetweenTests = true;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Whether a local Slack shared by a class is reset before each test (default true); false lets
     * messages, faults and recorded requests carry over from test to test.
     */
    public Builder resetBetweenTests(boolean reset) {
      this.resetBetweenTests = reset;
      return this;
    }

    /** The extension, for a {@code @RegisterExtension} field; it starts when JUnit says. */
    public LocalSlackExtension build() {
      return new LocalSlackExtension(this);
    }
  }
}
