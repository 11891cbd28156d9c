package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nextbest.engine.ledger.LedgerEntry;
import io.nextbest.engine.ledger.LedgerKind;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The agent desk served by the API, driven in real headless Chromium (Debian's {@code chromium}
 * through Debian's {@code chromedriver}, named explicitly so Selenium never looks for a driver to
 * download): an agent signs in with a key, picks a customer, describes the interaction, reads the
 * ranking, the matrix, the gap and the held-back actions, opens the reasons and declines an action;
 * the ledger must hold the decline and the page the refreshed ranking. Skipped only on a developer
 * machine without the two packages; in CI (the CI variable set) their absence fails the test.
 * Screenshots are kept under {@code target/desk-screenshots/} as build artifacts.
 */
@ExtendWith(VertxExtension.class)
class DeskPageTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "desk-screenshots");

  static ApiConfig config;
  static Services services;
  static WebClient agent;
  static WebClient analyst;
  static WebClient plain;

  @BeforeAll
  static void start(Vertx vertx) {
    config = TestApi.config();
    services = Services.open(vertx, config);
    ApiServer.deploy(vertx, services, config).await();
    agent = TestApi.client(vertx, config, TestApi.AGENT_KEY);
    analyst = TestApi.client(vertx, config, TestApi.ANALYST_KEY);
    plain =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("localhost")
                .setDefaultPort(config.httpPort())
                .setFollowRedirects(false));
    // One customer with a complaint open for nine days after a failed call; one content and
    // engaged.
    JsonArray ann =
        new JsonArray()
            .add(
                CustomerApiTest.event(
                    "ann-1",
                    "desk-ann",
                    "CONSENT_CHANGED",
                    200,
                    "channel",
                    "EMAIL",
                    "granted",
                    true))
            .add(
                CustomerApiTest.event(
                    "ann-2", "desk-ann", "PURCHASE", 120, "product", "BROADBAND", "amount", 45.0))
            .add(
                CustomerApiTest.event(
                    "ann-3",
                    "desk-ann",
                    "INTERACTION_ENDED",
                    10,
                    "channel",
                    "PHONE",
                    "reason",
                    "outage",
                    "outcome",
                    "FAILED",
                    "product",
                    "BROADBAND"))
            .add(
                CustomerApiTest.event(
                    "ann-4",
                    "desk-ann",
                    "COMPLAINT_OPENED",
                    9,
                    "complaintId",
                    "C-77",
                    "severity",
                    "HIGH",
                    "product",
                    "BROADBAND"))
            .add(
                CustomerApiTest.event(
                    "ann-5", "desk-ann", "SURVEY_ANSWERED", 8, "survey", "CSAT", "value", 2));
    assertThat(post("/v1/events", ann).statusCode()).isEqualTo(200);
    assertThat(post("/v1/events", CustomerApiTest.happyCustomer("desk-bob")).statusCode())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
  }

  static HttpResponse<Buffer> post(String path, Object body) {
    return agent
        .post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString()))
        .await();
  }

  @Test
  void theDeskIsServedWithoutCredentials_fromItsOwnFilesOnly() {
    HttpResponse<Buffer> bare = plain.get("/desk").send().await();
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.getHeader("Location")).isEqualTo("/desk/");
    HttpResponse<Buffer> page = plain.get("/desk/").send().await();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(page.bodyAsString())
        .contains("<script src=\"desk.js\"")
        .doesNotContainPattern("(src|href)=\"(https?:)?//");
    for (String file : List.of("desk.js", "desk.css")) {
      HttpResponse<Buffer> r = plain.get("/desk/" + file).send().await();
      assertThat(r.statusCode()).as(file).isEqualTo(200);
      // The one absolute URL allowed is the SVG namespace, a name rather than something fetched.
      assertThat(r.bodyAsString().replace("http://www.w3.org/2000/svg", ""))
          .as(file + " loads nothing from elsewhere")
          .doesNotContainPattern("https?://");
    }
    assertThat(plain.get("/desk/nothing-here.js").send().await().statusCode()).isEqualTo(404);
  }

  @Test
  void anAgentReadsTheRanking_andDeclinesAnAction_inHeadlessChromium(@TempDir Path profile)
      throws IOException {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    assumeTrue(
        installed || System.getenv("CI") != null,
        "no /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium, chromium-driver); runs always in CI");
    assertThat(installed)
        .as(
            "CI must provide "
                + CHROMIUM
                + " and "
                + CHROMEDRIVER
                + " (Debian packages chromium, chromium-driver)")
        .isTrue();
    Files.createDirectories(SCREENSHOTS);

    WebDriver browser = chromium(profile);
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      browser.get("http://localhost:" + config.httpPort() + "/desk");
      assertThat(browser.getCurrentUrl()).endsWith("/desk/");

      // A wrong key is refused, and the page asks again without losing what the agent typed.
      WebElement key = wait.until(d -> visible(d, By.id("api-key")));
      key.sendKeys("not-a-real-key-0000000000", Keys.ENTER);
      WebElement customer = browser.findElement(By.id("customer"));
      customer.sendKeys("desk-ann");
      browser.findElement(By.id("reason")).sendKeys("outage");
      browser.findElement(By.id("decide")).click();
      WebElement problem = wait.until(d -> visible(d, By.id("problem")));
      assertThat(problem.getText()).contains("Unauthorized").contains("X-API-Key");
      assertThat(visible(browser, By.id("key-panel"))).isNotNull();
      assertThat(customer.getAttribute("value")).isEqualTo("desk-ann");
      assertThat(browser.findElement(By.id("reason")).getAttribute("value")).isEqualTo("outage");

      // The right key, by keyboard: Enter submits.
      browser.findElement(By.id("api-key")).sendKeys(TestApi.AGENT_KEY, Keys.ENTER);
      wait.until(d -> !d.findElement(By.id("key-panel")).isDisplayed());

      // The typeahead offers the stored customers that start with what is typed.
      customer.clear();
      customer.sendKeys("desk-");
      wait.until(d -> options(d).containsAll(List.of("desk-ann", "desk-bob")));
      customer.sendKeys("ann");
      new Select(browser.findElement(By.id("channel"))).selectByValue("PHONE");
      new Select(browser.findElement(By.id("sentiment"))).selectByValue("NEGATIVE");
      // Enter in a field submits the interaction: the decision call is the only wait.
      browser.findElement(By.id("reason")).sendKeys(Keys.ENTER);
      wait.until(d -> !d.findElements(By.cssSelector("#actions > li")).isEmpty());

      JsonObject request =
          new JsonObject()
              .put("customerId", "desk-ann")
              .put(
                  "interaction",
                  new JsonObject()
                      .put("channel", "PHONE")
                      .put("reason", "outage")
                      .put("sentiment", "NEGATIVE"));
      JsonObject expected = post("/v1/decisions", request).bodyAsJsonObject();
      assertThat(titles(browser))
          .as("the ranking the API gives for the same interaction")
          .isEqualTo(titles(expected));
      List<WebElement> cards = browser.findElements(By.cssSelector("#actions > li"));
      JsonObject top = expected.getJsonArray("actions").getJsonObject(0);
      WebElement first = cards.get(0);
      String summary = top.getJsonObject("explanation").getString("summary");
      String why =
          summary.startsWith(top.getString("title") + ": ")
              ? summary.substring(top.getString("title").length() + 2)
              : summary;
      assertThat(first.findElement(By.cssSelector(".why")).getText())
          .as("the one-line why")
          .isNotBlank()
          .isEqualToIgnoringCase(why);
      assertThat(first.findElement(By.cssSelector(".chip")).getText())
          .isEqualTo(top.getString("channel"));
      if (top.getString("scriptHint") != null) {
        assertThat(first.findElement(By.cssSelector(".script")).getText())
            .contains(top.getString("scriptHint"));
      }
      assertThat(first.findElement(By.cssSelector(".reasons")).isDisplayed())
          .as("reasons wait until asked for")
          .isFalse();

      JsonObject gap = expected.getJsonArray("criticalGaps").getJsonObject(0);
      assertThat(browser.findElement(By.id("gaps")).getText())
          .contains("Fix this first")
          .containsIgnoringCase(gap.getString("description"))
          .contains(gap.getString("liftWhen"));

      JsonObject segment = expected.getJsonObject("segment");
      WebElement matrix = browser.findElement(By.id("matrix"));
      assertThat(matrix.getAttribute("data-quadrant")).isEqualTo(segment.getString("quadrant"));
      assertThat(matrix.findElements(By.cssSelector("circle.point"))).hasSize(1);
      String experience =
          String.format(
              java.util.Locale.ROOT,
              "%.1f",
              expected.getJsonObject("indices").getJsonObject("experience").getDouble("value"));
      String engagement =
          String.format(
              java.util.Locale.ROOT,
              "%.1f",
              expected.getJsonObject("indices").getJsonObject("engagement").getDouble("value"));
      assertThat(browser.findElement(By.id("matrix-label")).getText())
          .contains(segment.getString("label"))
          .contains(experience)
          .contains(engagement);
      // Long quadrant names are drawn on two lines.
      assertThat(matrix.getText().replaceAll("\\s+", " "))
          .contains(experience)
          .contains(engagement)
          .contains(segment.getString("label"));
      assertThat(browser.findElements(By.cssSelector("#indices .index li")))
          .as("top components of both indices")
          .hasSizeGreaterThanOrEqualTo(2);

      // The answer says each hold once with the actions it held; the desk lists each action.
      Map<String, List<JsonObject>> heldBy = new LinkedHashMap<>();
      for (Object o : expected.getJsonArray("held")) {
        JsonObject h = (JsonObject) o;
        for (Object id : h.getJsonArray("actions")) {
          heldBy.computeIfAbsent((String) id, k -> new ArrayList<>()).add(h);
        }
      }
      int suppressed = heldBy.size();
      assertThat(suppressed).isPositive();
      WebElement held = browser.findElement(By.id("suppressed-panel"));
      assertThat(held.getAttribute("open")).as("held-back actions start collapsed").isNull();
      assertThat(browser.findElement(By.id("suppressed-count")).getText())
          .isEqualTo(Integer.toString(suppressed));
      assertThat(browser.findElement(By.id("suppressed")).isDisplayed()).isFalse();
      screenshot(browser, "1-ranking.png");

      held.findElement(By.tagName("summary")).click();
      // Each held-back action says why: its own reasons in full, a gap's hold in a few words (the
      // gap is
      // spelt out once, above), never the gap's description again.
      String gapText =
          expected.getJsonArray("criticalGaps").getJsonObject(0).getString("description");
      int gapHeld = 0;
      for (Map.Entry<String, List<JsonObject>> s : heldBy.entrySet()) {
        WebElement heldItem =
            browser.findElement(
                By.cssSelector("#suppressed li[data-action-id='" + s.getKey() + "']"));
        assertThat(heldItem.isDisplayed()).isTrue();
        boolean byGap = false;
        for (JsonObject by : s.getValue()) {
          if (by.getString("gap") != null) {
            byGap = true;
          } else {
            assertThat(heldItem.getText())
                .as(s.getKey())
                .containsIgnoringCase(by.getString("reason"));
          }
        }
        if (byGap) {
          gapHeld++;
          assertThat(heldItem.getText())
              .as(s.getKey())
              .contains("Waits for the gaps above to clear")
              .doesNotContain(gapText);
        }
      }
      assertThat(gapHeld).as("engagement offers held for the open gaps").isPositive();

      WebElement more = first.findElement(By.cssSelector("button.more"));
      more.click();
      assertThat(more.getAttribute("aria-expanded")).isEqualTo("true");
      WebElement reasons = first.findElement(By.cssSelector(".reasons"));
      assertThat(reasons.isDisplayed()).isTrue();
      String firstReason =
          expected
              .getJsonArray("reasons")
              .getJsonObject(top.getJsonObject("explanation").getJsonArray("reasons").getInteger(0))
              .getString("rule");
      assertThat(reasons.getText()).contains(firstReason).contains("Priority");
      screenshot(browser, "2-reasons-and-held-back.png");

      // Decline the second action for the customer, with a reason, by keyboard from the button on.
      WebElement second = cards.get(1);
      String declined = second.getAttribute("data-action-id");
      String decisionBefore = browser.findElement(By.id("result")).getAttribute("data-decision-id");
      second.findElement(By.cssSelector("button.decline")).sendKeys(Keys.ENTER);
      WebElement reasonInput =
          wait.until(
              d ->
                  d.switchTo().activeElement().getAttribute("id").startsWith("fb-reason-")
                      ? d.switchTo().activeElement()
                      : null);
      assertThat(
              second
                  .findElement(By.cssSelector("form.feedback input[value=CUSTOMER]"))
                  .isSelected())
          .isTrue();
      reasonInput.sendKeys("already has this", Keys.ENTER);
      wait.until(
          d ->
              !decisionBefore.equals(
                  d.findElement(By.id("result")).getAttribute("data-decision-id")));
      assertThat(browser.findElement(By.id("status")).getText())
          .contains("declined by the customer")
          .contains("recorded")
          .contains("Ranking refreshed");

      List<LedgerEntry> ledger = services.customers().ledger("desk-ann");
      assertThat(ledger)
          .as("the decline is in the contact ledger, with the agent's reason")
          .anySatisfy(
              line -> {
                assertThat(line.decisionId()).isEqualTo(decisionBefore);
                assertThat(line.actionId()).isEqualTo(declined);
                assertThat(line.kind()).isEqualTo(LedgerKind.DECLINED_BY_CUSTOMER);
                assertThat(line.reason()).isEqualTo("already has this");
              });
      // The decline taught the action's propensity, so the refreshed decision may rank differently
      // (the desk does not explore, so nothing else moves it): the page is held to the decision it
      // shows, as the audit trail keeps it.
      JsonObject refreshed = audited(browser);
      assertThat(refreshed.getString("decisionId")).isNotEqualTo(decisionBefore);
      assertThat(titles(browser))
          .as("the page shows the refreshed ranking")
          .isEqualTo(titles(refreshed));
      for (Object o : refreshed.getJsonArray("actions")) {
        JsonObject a = (JsonObject) o;
        if (a.getString("actionId").equals(declined)) {
          assertThat(
                  a.getJsonObject("explanation")
                      .getJsonObject("priority")
                      .getJsonObject("propensity")
                      .getString("source"))
              .isEqualTo("learned");
          WebElement shown =
              browser.findElement(
                  By.cssSelector("#actions > li[data-action-id='" + declined + "'] .reasons"));
          assertThat(shown.getAttribute("data-propensity-source"))
              .as("the decline taught the action's propensity")
              .isEqualTo("learned");
        }
      }
      screenshot(browser, "3-after-decline.png");

      // Another customer: content and engaged, so no gap.
      customer.clear();
      customer.sendKeys("desk-bob");
      new Select(browser.findElement(By.id("sentiment"))).selectByValue("POSITIVE");
      String annDecision = browser.findElement(By.id("result")).getAttribute("data-decision-id");
      browser.findElement(By.id("decide")).click();
      wait.until(
          d ->
              !annDecision.equals(d.findElement(By.id("result")).getAttribute("data-decision-id")));
      assertThat(browser.findElements(By.cssSelector("#gaps .gap"))).isEmpty();
      JsonObject bob = audited(browser);
      assertThat(bob.getString("customerId")).isEqualTo("desk-bob");
      assertThat(bob.getJsonArray("criticalGaps")).isEmpty();
      assertThat(browser.findElement(By.id("matrix")).getAttribute("data-quadrant"))
          .isEqualTo(bob.getJsonObject("segment").getString("quadrant"));
      assertThat(titles(browser)).isEqualTo(titles(bob));
      screenshot(browser, "4-healthy-customer.png");

      // No script error and no blocked load (the page's policy would report a CDN) in the console;
      // the one error expected is the refused wrong key.
      List<String> errors = new ArrayList<>();
      for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
        if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
            && !entry.getMessage().contains("status of 401")) {
          errors.add(entry.getMessage());
        }
      }
      assertThat(errors).isEmpty();
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

  /** The decision the page shows, as the audit trail holds it. */
  private static JsonObject audited(WebDriver d) {
    String id = d.findElement(By.id("result")).getAttribute("data-decision-id");
    HttpResponse<Buffer> r = analyst.get("/v1/decisions/" + id).send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonObject("decision");
  }

  private static WebElement visible(WebDriver d, By by) {
    WebElement e = d.findElement(by);
    return e.isDisplayed() ? e : null;
  }

  private static List<String> options(WebDriver d) {
    List<String> values = new ArrayList<>();
    for (WebElement o : d.findElements(By.cssSelector("#customer-ids option"))) {
      values.add(o.getAttribute("value"));
    }
    return values;
  }

  private static List<String> titles(WebDriver d) {
    List<String> out = new ArrayList<>();
    for (WebElement h : d.findElements(By.cssSelector("#actions > li h3"))) {
      // The heading may carry a "moved" note after the title.
      List<WebElement> moved = h.findElements(By.cssSelector(".moved"));
      String text = h.getText();
      out.add(
          moved.isEmpty()
              ? text
              : text.substring(0, text.length() - moved.get(0).getText().length()).strip());
    }
    return out;
  }

  private static List<String> titles(JsonObject decision) {
    List<String> out = new ArrayList<>();
    for (Object o : decision.getJsonArray("actions")) {
      out.add(((JsonObject) o).getString("title"));
    }
    return out;
  }

  /**
   * The whole page: the window grows to the page's height for the shot, then returns to its size.
   */
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
                (int) Math.min(4000, Math.max(window.getHeight(), height + 140))));
    File shot = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
    d.manage().window().setSize(window);
    Path target = SCREENSHOTS.resolve(name);
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).as(name).isGreaterThan(10_000);
  }
}
