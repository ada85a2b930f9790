package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same scan gives the same bytes, whatever the number of worker threads. */
class DeterminismE2ETest {

  /** stats.millis, the JSON format's only timing field (docs/json-format.md, Determinism). */
  private static final Pattern MILLIS = Pattern.compile("(?m)^(\\s*\"millis\"\\s*:\\s*)\\d+(,?)$");

  private static String scan(String format, int jobs) {
    return Cli.check(
            Cli.CORPUS, List.of("-f", format, "-j", Integer.toString(jobs)), Cli.corpusInputs())
        .expectCode(1)
        .out();
  }

  /** Masks the one timing field; fails if it is not there exactly once. */
  private static String withoutMillis(String json) {
    Matcher m = MILLIS.matcher(json);
    StringBuilder sb = new StringBuilder();
    int count = 0;
    while (m.find()) {
      m.appendReplacement(sb, "$1<millis>$2");
      count++;
    }
    m.appendTail(sb);
    assertEquals(1, count, "stats.millis occurrences");
    return sb.toString();
  }

  @Test
  void sarifIsByteIdenticalAcrossJobsAndRuns() {
    String one = scan("sarif", 1);
    assertTrue(one.contains("\"results\""), one);
    // SARIF writes no timing at all, so nothing is masked.
    assertEquals(one, scan("sarif", 2), "-j 1 vs -j 2");
    assertEquals(one, scan("sarif", 4), "-j 1 vs -j 4");
    assertEquals(scan("sarif", 4), scan("sarif", 4), "two runs with -j 4");
    assertEquals(one, scan("sarif", 1), "two runs with -j 1");
  }

  /** The reports for people and for GitLab carry no timing: byte-identical too. */
  @ParameterizedTest
  @ValueSource(strings = {"gitlab", "markdown", "html"})
  void otherReportsAreByteIdenticalAcrossJobs(String format) {
    String one = scan(format, 1);
    assertTrue(one.length() > 100, one);
    assertEquals(one, scan(format, 4), "-j 1 vs -j 4");
  }

  @Test
  void jsonIsByteIdenticalAcrossJobsAndRunsApartFromMillis() {
    String one = withoutMillis(scan("json", 1));
    assertEquals(one, withoutMillis(scan("json", 2)), "-j 1 vs -j 2");
    assertEquals(one, withoutMillis(scan("json", 4)), "-j 1 vs -j 4");
    assertEquals(withoutMillis(scan("json", 4)), withoutMillis(scan("json", 4)), "two -j 4 runs");
    assertEquals(one, withoutMillis(scan("json", 1)), "two runs with -j 1");
  }

  /**
   * One program for the whole corpus: with more jobs than programs its rules run side by side
   * (atomic-context and DMA facts on different threads), and must still report the same bytes.
   */
  @Test
  void oneProgramIsByteIdenticalAcrossJobs() {
    IntFunction<String> scan =
        jobs ->
            Cli.check(
                    Cli.CORPUS,
                    List.of("-f", "sarif", "--program-scope", "all", "-j", Integer.toString(jobs)),
                    Cli.corpusInputs())
                .expectCode(1)
                .out();
    String one = scan.apply(1);
    assertTrue(one.contains("sleep-in-atomic") && one.contains("vmalloc-dma"), one);
    assertEquals(one, scan.apply(2), "-j 1 vs -j 2");
    assertEquals(one, scan.apply(4), "-j 1 vs -j 4");
  }

  @Test
  void textIsIdenticalAcrossJobs() {
    assertEquals(scan("text", 1), scan("text", 4));
  }
}
