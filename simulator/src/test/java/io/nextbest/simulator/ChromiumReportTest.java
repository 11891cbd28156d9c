package io.nextbest.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in real headless Chromium and checks what a reader would see: every
 * section, and every SVG chart laid out with a size. Skipped only on a developer machine without
 * Chromium; in CI (the CI variable set) a missing browser fails the test. The page and a screenshot
 * are kept under {@code target/report-in-chromium/} as build artifacts.
 */
class ChromiumReportTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path ARTIFACTS = Path.of("target", "report-in-chromium");

  @TempDir Path dir;

  @Test
  void reportOpensInHeadlessChromium_withEverySectionAndChartRendered() throws Exception {
    boolean installed = Files.isExecutable(CHROMIUM);
    assumeTrue(
        installed || System.getenv("CI") != null,
        "no Chromium at /usr/bin/chromium (install the Debian package 'chromium'); runs always in CI");
    assertThat(installed).as("CI must provide Chromium at " + CHROMIUM).isTrue();

    SimulationSpec spec =
        SimulationSpec.builder()
            .mapped("telco-churn", "telco-churn")
            .limit(400)
            .override("experience.threshold=70")
            .journeyWeeks(3)
            .seed(2)
            .threads(2)
            .reportDir(dir.resolve("report"))
            .build();
    Simulator.Finished run = Fixtures.run(spec);
    Files.createDirectories(ARTIFACTS);
    Path html =
        Files.copy(
            run.result().html(),
            ARTIFACTS.resolve("report.html"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String url = html.toAbsolutePath().toUri().toString();

    String dom = chromium(List.of("--virtual-time-budget=5000", "--dump-dom", url));
    Matcher declared = Pattern.compile("data-charts=\"(\\d+)\"").matcher(dom);
    assertThat(declared.find()).as("footer declares its chart count").isTrue();
    int charts = Integer.parseInt(declared.group(1));
    assertThat(charts).isGreaterThanOrEqualTo(10);
    assertThat(dom)
        .as("every chart laid out with a size, as counted by the page's own script")
        .contains("data-charts-rendered=\"" + charts + "\"");
    for (String id :
        new String[] {
          "summary",
          "quadrants",
          "action-mix",
          "suppressions",
          "change-matrix",
          "outcomes",
          "fidelity",
          "journey",
          "migration",
          "changed-sample"
        }) {
      assertThat(dom).as("section " + id).contains("id=\"" + id + "\"");
    }
    for (String chart :
        new String[] {
          "chart-quadrants",
          "chart-families",
          "chart-actions",
          "chart-suppressions",
          "chart-outcome-quadrant",
          "chart-fidelity-auc",
          "chart-migration-baseline",
          "chart-migration-candidate",
          "chart-value",
          "chart-caps"
        }) {
      assertThat(dom).as("chart " + chart).containsPattern("<svg[^>]*id=\"" + chart + "\"");
    }
    assertThat(Pattern.compile("<svg ").matcher(dom).results().count()).isEqualTo(charts);

    Path png = ARTIFACTS.resolve("report.png").toAbsolutePath();
    Files.deleteIfExists(png);
    chromium(List.of("--window-size=1400,5000", "--hide-scrollbars", "--screenshot=" + png, url));
    assertThat(png).isNotEmptyFile();
    byte[] head = Files.readAllBytes(png);
    assertThat(head.length).isGreaterThan(20_000);
    assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  private String chromium(List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = dir.resolve("chromium-" + System.nanoTime() + ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
    }
    assertThat(p.exitValue()).as("chromium exit code; stderr: " + Files.readString(err)).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
