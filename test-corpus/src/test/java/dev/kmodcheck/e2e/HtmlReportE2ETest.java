package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of the README's example module, opened in a real browser (headless Chromium):
 * after its script ran, the page shows every finding, counts them, draws each evidence step on the
 * source lines, and its filters hide what they should.
 */
class HtmlReportE2ETest {

  private static final Path EXAMPLE = Cli.CORPUS.resolve("examples/ringbuf");
  private static final Pattern ARTICLE =
      Pattern.compile("<article ([^>]*)>(.*?)</article>", Pattern.DOTALL);

  @TempDir Path tmp;
  private Path report;
  private JsonNode findings;

  @BeforeEach
  void writeReport() {
    report = tmp.resolve("kmodcheck.html");
    Cli.check(Cli.CORPUS, List.of("-f", "html", "-o", report.toString()), EXAMPLE).expectCode(1);
    findings = Cli.check(Cli.CORPUS, List.of("-f", "json"), EXAMPLE).json().path("findings");
  }

  /** The page as the browser holds it once its script ran. */
  private String rendered(String fragment) {
    Path browser = ExternalTools.onPath("chromium", "chromium-browser", "google-chrome");
    if (browser == null) ExternalTools.unavailable("no headless browser (chromium) is installed");
    ExternalTools.Result r =
        ExternalTools.run(
            List.of(
                browser.toString(),
                "--headless",
                // Root in CI containers; the page is our own file.
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("profile"),
                "--dump-dom",
                report.toUri() + fragment),
            tmp,
            120);
    assertEquals(0, r.code(), r.out());
    return r.out();
  }

  private static List<String> visibleArticles(String dom) {
    List<String> out = new ArrayList<>();
    Matcher m = ARTICLE.matcher(dom);
    while (m.find()) if (!m.group(1).contains("hidden")) out.add(m.group(1) + ">" + m.group(2));
    return out;
  }

  @Test
  void aReviewerSeesEveryFindingWithItsEvidenceDrawnOnTheSource() {
    String dom = rendered("");
    int n = findings.size();
    assertTrue(n > 0);
    assertTrue(
        dom.contains("<output id=\"shown\">" + n + " of " + n + " findings shown</output>"),
        "the script counted the findings");
    List<String> shown = visibleArticles(dom);
    assertEquals(n, shown.size());
    for (JsonNode f : findings) {
      String place =
          f.path("file").asText() + ":" + f.path("line").asInt() + ":" + f.path("column").asInt();
      String article =
          shown.stream()
              .filter(a -> a.contains(">" + place + "</a> in <code>"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no finding shown at " + place));
      for (JsonNode step : f.path("trace")) {
        String at =
            step.path("file").asText()
                + ":"
                + step.path("line").asInt()
                + ":"
                + step.path("column").asInt();
        assertTrue(article.contains("<li class=\"step\"><a href=\"#"), article);
        assertTrue(article.contains(">" + at + "</a>"), "evidence step " + at + " listed");
      }
      // Each step is numbered in the gutter of its source line, the path marked between them.
      long badges = Pattern.compile("<a class=\"pt\"").matcher(article).results().count();
      assertTrue(badges >= Math.max(1, f.path("trace").size()), article);
      assertTrue(article.contains("<mark>"), "the flagged code is highlighted: " + article);
      if (f.path("trace").size() > 1) assertTrue(article.contains("path\">"), article);
    }
  }

  @Test
  void filtersHideWhatTheyShould() {
    long warnings = 0;
    for (JsonNode f : findings) if (f.path("severity").asText().equals("warning")) warnings++;
    String dom = rendered("#severity=warning");
    assertTrue(dom.contains(warnings + " of " + findings.size() + " findings shown"), "counter");
    assertEquals(warnings, visibleArticles(dom).size());
    String rule = findings.get(0).path("ruleId").asText();
    long ofRule = 0;
    for (JsonNode f : findings) if (f.path("ruleId").asText().equals(rule)) ofRule++;
    assertEquals(ofRule, visibleArticles(rendered("#rule=" + rule)).size());
  }

  @Test
  void thePageNeedsNothingFromTheNetwork() throws Exception {
    String html = Files.readString(report);
    assertTrue(
        !html.contains("<script src") && !html.contains("<link") && !html.contains("@import"),
        "styles and script are inline");
    assertTrue(!Pattern.compile("src=\"https?:").matcher(html).find(), "no remote resources");
  }
}
