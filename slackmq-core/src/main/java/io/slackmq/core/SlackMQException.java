package io.slackmq.core;

/**
 * A Slack call failed, or a lease was lost. {@link #error()} is Slack's error code ({@code
 * channel_not_found}, {@code missing_scope}, {@code invalid_auth}, {@code ratelimited}, {@code
 * http_500}, {@code timeout}, ...) or one of ours ({@code lease_lost}); the message says what to
 * do. Never contains a token.
 */
public class SlackMQException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Our code for "the lease expired and another worker may hold the message". */
  public static final String LEASE_LOST = "lease_lost";

  /**
   * Our claim or renewal was answered ok but is not in the thread after the read-lag bound: Slack
   * did not store it, or its reads lag beyond the bound. Nothing is held; try again later.
   */
  public static final String NOT_VISIBLE = "not_visible";

  private final String error;
  private final String hint;

  public SlackMQException(String error, String hint, Throwable cause) {
    super(error + ": " + hint, cause);
    this.error = error;
    this.hint = hint;
  }

  public SlackMQException(String error, String hint) {
    this(error, hint, null);
  }

  /** Slack's error code, or {@code lease_lost}. */
  public String error() {
    return error;
  }

  /** What to do about it. */
  public String hint() {
    return hint;
  }

  /** True if the lease was lost: stop working on the message. */
  public boolean isLeaseLost() {
    return LEASE_LOST.equals(error);
  }
}
