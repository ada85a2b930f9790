package dev.kmodcheck.report;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -f github}: GitHub Actions workflow commands, one per finding, which the runner turns into
 * annotations on the pull request's diff without any upload:
 *
 * <pre>
 * ::error file=drivers/foo/foo.c,line=42,col=9,endLine=42,endColumn=31,title=kmalloc-size-limit::kmalloc of ...
 * </pre>
 *
 * Errors are {@code ::error}, warnings {@code ::warning}, notes {@code ::notice}. The evidence
 * (trace steps) follows the message on lines of its own inside the annotation. Paths are relative
 * to the source root, which must therefore be the repository root (the default when kmodcheck runs
 * there, as in a workflow). Escaping follows the runner's rules: in the message {@code %}, CR and
 * LF; in properties also {@code :} and {@code ,}.
 */
public final class GithubReport implements ReportWriter {

  @Override
  public void write(ScanResult result, Writer out) throws IOException {
    List<Finding> findings = new ArrayList<>(result.findings());
    findings.sort(Finding.ORDER);
    for (Finding f : findings) {
      StringBuilder line = new StringBuilder("::").append(command(f.severity()));
      List<String> props = new ArrayList<>();
      SrcRange r = f.range();
      if (ReportOrder.hasFile(r)) {
        props.add("file=" + property(r.file()));
        if (r.line() >= 1) {
          props.add("line=" + r.line());
          // The runner rejects col/endColumn unless endLine equals line: a multi-line finding
          // gets lines only, or no annotation at all.
          boolean oneLine = r.endLine() <= r.line();
          if (oneLine && r.column() >= 1) props.add("col=" + r.column());
          if (r.endLine() >= r.line()) {
            props.add("endLine=" + r.endLine());
            if (oneLine && r.column() >= 1 && r.endColumn() >= 1) {
              props.add("endColumn=" + Math.max(r.endColumn(), r.column()));
            }
          }
        }
      }
      props.add("title=" + property("kmodcheck " + f.ruleId()));
      line.append(' ').append(String.join(",", props)).append("::");
      StringBuilder message = new StringBuilder(f.message());
      for (TraceStep step : f.trace()) {
        message
            .append('\n')
            .append(TextReport.where(step.range()))
            .append(": ")
            .append(step.message());
      }
      line.append(data(message.toString()));
      out.write(line.toString());
      out.write('\n');
    }
    out.flush();
  }

  private static String command(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case NOTE -> "notice";
    };
  }

  /** Message text: the runner decodes %25, %0D and %0A. */
  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** A property value: also ':' and ',' which separate properties. */
  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
