package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nextbest.engine.RuleSetSource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The analysts' studio served by the API, driven in headless Chromium as the desk is: an analyst
 * signs in, picks a candidate version, validates it, reads its diff and its tables with their
 * coverage, previews a stored customer on it (the rows the candidate matched highlighted), runs a
 * simulation, activates it through the confirmation (the audit line appears) and rolls back.
 * Skipped only on a developer machine without Debian's chromium and chromedriver; in CI their
 * absence fails. Screenshots are kept under {@code target/studio-screenshots/}.
 */
@ExtendWith(VertxExtension.class)
class StudioPageTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "studio-screenshots");
  private static final String CUSTOMER = "studio-bob";

  static ApiConfig config;
  static Services services;
  static WebClient analyst;
  static WebClient plain;
  static String changedRow;

  @BeforeAll
  static void start(Vertx vertx) {
    config = TestApi.config();
    services = Services.open(vertx, config);
    ApiServer.deploy(vertx, services, config).await();
    WebClient agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    plain =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("localhost")
                .setDefaultPort(config.httpPort())
                .setFollowRedirects(false));
    assertThat(
            agent
                .post("/v1/events")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(CustomerApiTest.happyCustomer(CUSTOMER).encode()))
                .await()
                .statusCode())
        .isEqualTo(200);
    // The candidate: the contact-policy row this customer lands on allows one more outreach a
    // month.
    JsonObject preview =
        post("/v1/rulesets/1/preview", new JsonObject().put("customerId", CUSTOMER))
            .bodyAsJsonObject();
    JsonObject contact =
        preview.getJsonObject("active").getJsonArray("rows").stream()
            .map(JsonObject.class::cast)
            .filter(t -> "Contact Limits".equals(t.getString("decision")))
            .findFirst()
            .orElseThrow();
    changedRow = contact.getJsonArray("matched").getJsonObject(0).getString("id");
    int monthly =
        preview
            .getJsonObject("active")
            .getJsonObject("decision")
            .getJsonObject("contact")
            .getInteger("max30Days");
    String xml =
        RuleSetSource.bundled()
            .text("dmn/contact-policy.dmn")
            .replaceFirst(
                "(<outputEntry id=\"" + changedRow + "_o2\">\\s*<text>)" + monthly + "(</text>)",
                "$1" + (monthly + 1) + "$2");
    HttpResponse<Buffer> up =
        analyst
            .post("/v1/rulesets")
            .addQueryParam("path", "dmn/contact-policy.dmn")
            .addQueryParam("comment", "one more a month")
            .putHeader("Content-Type", "application/xml")
            .sendBuffer(Buffer.buffer(xml))
            .await();
    assertThat(up.statusCode()).as(up.bodyAsString()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
  }

  static HttpResponse<Buffer> post(String path, JsonObject body) {
    return analyst
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer())
        .await();
  }

  @Test
  void theStudioIsServedWithoutCredentials_fromItsOwnFilesOnly() {
    HttpResponse<Buffer> bare = plain.get("/studio").send().await();
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.getHeader("Location")).isEqualTo("/studio/");
    HttpResponse<Buffer> page = plain.get("/studio/").send().await();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(page.bodyAsString())
        .contains("<script src=\"studio.js\"")
        .doesNotContainPattern("(src|href)=\"(https?:)?//");
    for (String file : List.of("studio.js", "studio.css")) {
      HttpResponse<Buffer> r = plain.get("/studio/" + file).send().await();
      assertThat(r.statusCode()).as(file).isEqualTo(200);
      assertThat(r.bodyAsString())
          .as(file + " loads nothing from elsewhere")
          .doesNotContainPattern("https?://");
    }
  }

  @Test
  void anAnalystChecksPreviewsSimulatesActivatesAndRollsBack_inHeadlessChromium(
      @TempDir Path profile) throws IOException {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    assumeTrue(
        installed || System.getenv("CI") != null,
        "no /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium, chromium-driver); runs always in CI");
    assertThat(installed).as("CI must provide " + CHROMIUM + " and " + CHROMEDRIVER).isTrue();
    Files.createDirectories(SCREENSHOTS);
    WebDriver browser = chromium(profile);
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      browser.get("http://localhost:" + config.httpPort() + "/studio");
      assertThat(browser.getCurrentUrl()).endsWith("/studio/");

      // The key, by keyboard; the versions load with the active one marked.
      wait.until(d -> visible(d, By.id("api-key"))).sendKeys(TestApi.ANALYST_KEY, Keys.ENTER);
      wait.until(d -> d.findElements(By.cssSelector("#versions tbody tr")).size() == 2);
      assertThat(browser.findElement(By.cssSelector("#versions tr[data-version='1']")).getText())
          .contains("active");
      assertThat(browser.findElement(By.cssSelector("#versions tr[data-version='2']")).getText())
          .contains("one more a month");

      // Work on the candidate: its tables come with coverage.
      browser.findElement(By.cssSelector("button.pick[data-version='2']")).click();
      wait.until(d -> d.findElement(By.id("current")).getText().equals("v2"));
      wait.until(
          d ->
              !d.findElements(
                      By.cssSelector("table.dmn[data-table='_CP_ContactLimits_dt'] tbody tr"))
                  .isEmpty());
      assertThat(browser.findElement(By.id("coverage-summary")).getText())
          .contains("rows are selected by a scenario");
      assertThat(
              browser.findElements(By.cssSelector("table.dmn tr.uncovered")).size()
                  + browser
                      .findElements(By.cssSelector("table.dmn tbody tr:not(.uncovered)"))
                      .size())
          .isPositive();

      // Validate and test: the gate column fills in.
      browser.findElement(By.id("validate")).click();
      wait.until(d -> d.findElement(By.id("gate-summary")).getText().startsWith("v2 "));
      assertThat(
              browser
                  .findElement(By.cssSelector("#versions tr[data-version='2'] td.gate"))
                  .getText())
          .startsWith("pass")
          .contains("scenarios pass");

      // The diff from the active version, in the analyst's terms.
      new Select(browser.findElement(By.id("diff-from"))).selectByValue("1");
      browser.findElement(By.id("diff")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#changes li[data-kind]")).isEmpty());
      assertThat(browser.findElement(By.id("changes")).getText())
          .contains("Contact Limits, row")
          .contains("max30Days changed from");

      // Preview the stored customer: contact limits differ, the changed row is the cause and is
      // highlighted.
      WebElement customer = browser.findElement(By.id("preview-customer"));
      customer.sendKeys(CUSTOMER, Keys.ENTER);
      wait.until(d -> visible(d, By.id("preview")));
      assertThat(
              browser
                  .findElement(By.cssSelector("#differences li[data-aspect='contact limits']"))
                  .getText())
          .contains("outreach limits");
      assertThat(browser.findElement(By.id("causes")).getText()).contains("max30Days changed from");
      wait.until(
          d ->
              !d.findElements(By.cssSelector("tr.hit[data-row-id='" + changedRow + "']"))
                  .isEmpty());
      screenshot(browser, "1-preview.png");

      // A simulation of the candidate against the active version.
      WebElement size = browser.findElement(By.id("sim-size"));
      size.clear();
      size.sendKeys("40", Keys.ENTER);
      wait.until(
          d -> d.findElement(By.id("sim-summary")).getText().contains("top action changed for"));
      assertThat(browser.findElement(By.id("sim-summary")).getText())
          .startsWith("v1@")
          .contains("against v2@");

      // Activate through the confirmation, by keyboard: Cancel has the focus, then Yes.
      browser.findElement(By.id("activate")).click();
      wait.until(d -> visible(d, By.id("confirm")));
      assertThat(browser.findElement(By.id("confirm-title")).getText()).isEqualTo("Activate v2?");
      browser.switchTo().activeElement().sendKeys(Keys.ENTER); // Cancel
      wait.until(d -> !d.findElement(By.id("confirm")).isDisplayed());
      assertThat(services.registry().activeSequence()).isEqualTo(1);
      browser.findElement(By.id("activate")).click();
      wait.until(d -> visible(d, By.id("confirm")));
      browser.findElement(By.id("confirm-yes")).sendKeys(Keys.ENTER);
      wait.until(
          d -> !d.findElements(By.cssSelector("#audit li[data-action='activate']")).isEmpty());
      assertThat(browser.findElement(By.cssSelector("#audit li[data-action='activate']")).getText())
          .contains("activate v2")
          .contains("from v1 to v2");
      assertThat(services.registry().activeSequence()).isEqualTo(2);
      wait.until(
          d ->
              d.findElement(By.cssSelector("#versions tr[data-version='2']"))
                  .getText()
                  .contains("active"));

      // And back.
      browser.findElement(By.cssSelector("button.pick[data-version='1']")).click();
      wait.until(d -> d.findElement(By.id("current")).getText().equals("v1"));
      browser.findElement(By.id("rollback")).click();
      wait.until(d -> visible(d, By.id("confirm")));
      browser.findElement(By.id("confirm-yes")).click();
      wait.until(
          d -> !d.findElements(By.cssSelector("#audit li[data-action='rollback']")).isEmpty());
      assertThat(services.registry().activeSequence()).isEqualTo(1);
      screenshot(browser, "2-rolled-back.png");

      List<LogEntry> errors =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
              .toList();
      assertThat(errors).as("browser console errors (CSP violations among them)").isEmpty();
    } finally {
      browser.quit();
    }
  }

  private static WebDriver chromium(Path profile) {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1366,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    return new ChromeDriver(service, options);
  }

  private static WebElement visible(WebDriver d, By by) {
    WebElement e = d.findElement(by);
    return e.isDisplayed() ? e : null;
  }

  private static void screenshot(WebDriver d, String name) throws IOException {
    Dimension window = d.manage().window().getSize();
    long height =
        (Long)
            ((JavascriptExecutor) d).executeScript("return document.documentElement.scrollHeight");
    d.manage()
        .window()
        .setSize(
            new Dimension(
                window.getWidth(),
                (int) Math.min(6000, Math.max(window.getHeight(), height + 140))));
    File shot = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
    d.manage().window().setSize(window);
    Path target = SCREENSHOTS.resolve(name);
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).as(name).isGreaterThan(10_000);
  }
}
