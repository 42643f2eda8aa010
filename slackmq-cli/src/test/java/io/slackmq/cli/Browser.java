package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium for the console's browser tests: Debian's {@code chromium} driven
 * through Debian's {@code chromium-driver} (both installed by .ci/run). Selenium is told where both
 * are, so its manager never tries to download a browser or a driver (there is no network for it
 * here). Without them the test is skipped on a developer's machine with what to install, and fails
 * in CI (the {@code CI} variable), where a missing install step must not hide.
 */
final class Browser {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Browser() {}

  /**
   * A new headless Chromium (1400 x 1500: screenshots show the whole page), or the test is skipped
   * (failed in CI) without one.
   */
  static ChromeDriver start() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    String missing =
        "the browser tests need Debian's chromium and chromium-driver ("
            + CHROMIUM
            + ", "
            + DRIVER
            + "): apt-get install -y chromium chromium-driver (.ci/run does)";
    if (System.getenv("CI") != null) {
      assertThat(present).as(missing).isTrue();
    }
    Assumptions.assumeTrue(present, missing);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1500",
        "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** What the page wrote to its console (errors first of all), for a failing test's message. */
  static String consoleLog(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .collect(Collectors.joining("\n"));
  }
}
