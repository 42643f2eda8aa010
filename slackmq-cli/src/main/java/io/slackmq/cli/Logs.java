package io.slackmq.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The command's log format ({@code --log-format text|json}, the mixin) and the token masking both
 * formats apply (logback.xml names the two public classes below).
 */
final class Logs {
  /** The log formats: a line for people, or one JSON object per line for a log pipeline. */
  enum Format {
    text,
    json
  }

  /** {@code --log-format}, for every command that logs. */
  static final class Options {
    @Option(
        names = "--log-format",
        defaultValue = "text",
        paramLabel = "FORMAT",
        description =
            "text (default) or json: one JSON object per line on stderr (timestamp, level, logger,"
                + " message, worker, channel, ts); tokens masked in both (env SLACKMQ_LOG_FORMAT).")
    Format format;
  }

  private Logs() {}

  /**
   * Reconfigures logback from logback.xml with {@code format} (the system property {@code
   * slackmq.log.format} picks the appender). Called once the command line is parsed, before the
   * command logs anything of its own.
   */
  static void use(Format format) {
    if (format == Format.valueOf(System.getProperty("slackmq.log.format", "text"))) {
      return;
    }
    System.setProperty("slackmq.log.format", format.name());
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(Logs.class.getResource("/logback.xml"));
    } catch (JoranException e) {
      throw new IllegalStateException("logback.xml: " + e.getMessage(), e);
    }
  }

  /** {@code %maskedMsg}: the message with tokens masked, for the text format. */
  public static final class MaskedMessage extends MessageConverter {
    /** For logback. */
    public MaskedMessage() {}

    @Override
    public String convert(ILoggingEvent event) {
      return Secrets.maskTokens(super.convert(event));
    }
  }

  /** Masks tokens in every string value of a JSON log line (message, MDC, stack trace). */
  public static final class MaskTokens implements ValueMasker {
    /** For logstash-logback-encoder. */
    public MaskTokens() {}

    @Override
    public Object mask(JsonStreamContext context, Object value) {
      return value instanceof String s && !s.equals(Secrets.maskTokens(s))
          ? Secrets.maskTokens(s)
          : null; // null: leave the value as it is
    }
  }
}
