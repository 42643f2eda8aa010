package io.slackmq.emulator;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.HttpResponseException;
import java.util.function.Supplier;

/**
 * Reads a request's body so that a body the client broke is the client's error. Jetty reports a
 * body shorter than its {@code Content-Length}, a bad chunk size or a connection closed mid-body by
 * throwing from the read ({@code EofException}, an {@code IOException} Javalin rethrows unchecked,
 * or {@code BadMessageException}); left alone, either becomes Javalin's empty HTTP 500. Every body
 * read of the Web API and the admin API goes through here.
 */
final class RequestBody {
  private RequestBody() {}

  /**
   * Runs {@code read} (a body read such as {@code ctx::bodyAsBytes} or {@code ctx::formParamMap})
   * and turns a failure to read the bytes into a 400 {@link BadRequestResponse}, which the callers
   * already answer as a JSON 400. Javalin's own refusals (413) pass unchanged.
   */
  static <T> T read(Supplier<T> read) {
    try {
      return read.get();
    } catch (HttpResponseException e) {
      throw e;
    } catch (Exception e) { // IOException arrives unchecked from Kotlin, so catch Exception
      if (unreadable(e)) {
        throw new BadRequestResponse("the request body could not be read");
      }
      throw e;
    }
  }

  private static boolean unreadable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException
          || t instanceof org.eclipse.jetty.http.BadMessageException) {
        return true;
      }
    }
    return false;
  }
}
