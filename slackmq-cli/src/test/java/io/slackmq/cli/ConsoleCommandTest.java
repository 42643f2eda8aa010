package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code slackmq console}'s refusals: each exits 2 and says what to do. */
class ConsoleCommandTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--host 0.0.0.0                                     | is reachable from other machines: add --allow-remote",
        "--host 192.0.2.1                                   | is reachable from other machines",
        "--host 0.0.0.0 --allow-remote                      | --allow-remote needs a password",
        "--host 0.0.0.0 --allow-remote --password short     | the password must be 12+ characters",
        "--limit 0                                          | --limit must be 1..200",
        "--limit 201                                        | --limit must be 1..200",
        "--time-scale 0                                     | --time-scale must be in (0, 10000]",
      })
  void refusesWithExit2(String args, String message) {
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    String[] argv = ("console " + args.trim()).split("\\s+");
    assertThat(cl.execute(argv)).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(message);
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1,false",
    "localhost,false",
    "::1,false",
    "127.0.0.2,false",
    "0.0.0.0,true",
    "10.0.0.5,true",
    "example.com,true"
  })
  void knowsWhatIsBeyondLoopback(String host, boolean beyond) {
    assertThat(ConsoleCommand.beyondLoopback(host)).isEqualTo(beyond);
  }
}
