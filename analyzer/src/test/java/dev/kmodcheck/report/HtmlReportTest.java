package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.ir.SrcRange;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  @TempDir Path root;

  @Test
  void sourceAndMessagesAreEscapedAndTheColumnsMarked() throws Exception {
    ScanResult base = SampleResults.sample(root);
    SampleResults.write(root, "x.c", "void f(void)\n{\n\tif (a < b && c > d) g(\"<b>\");\n}\n");
    Finding f =
        new Finding(
            "sleep-in-atomic",
            Severity.WARNING,
            "<img src=x onerror=alert(1)> & more",
            new SrcRange("x.c", 3, 22, 3, 30),
            "f",
            List.of());
    ScanResult r = SampleResults.withFindings(base, List.of(f));
    String html = SarifReportTest.render(new HtmlReport(0, 0), r);
    assertFalse(html.contains("<img"), html);
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; more"), html);
    assertTrue(
        html.contains("\tif (a &lt; b &amp;&amp; c &gt; d) <mark>g(&quot;&lt;b&gt;&quot;)</mark>;"),
        html);
  }

  @Test
  void sameResultGivesSameBytes() throws Exception {
    String first = SarifReportTest.render(new HtmlReport(1, 2), SampleResults.sample(root));
    assertEquals(first, SarifReportTest.render(new HtmlReport(1, 2), SampleResults.sample(root)));
    assertFalse(first.contains(root.toString()), "no absolute paths");
  }
}
