package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.TranslationUnit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Macros whose absence made header-less parses drop code: ioctl numbers, sg page iterators. */
class IoctlMacrosTest {

  @TempDir Path dir;

  @Test
  void ioctlCaseLabelsKeepTheirCode() {
    TranslationUnit tu =
        FrontendTestSupport.parse(
            dir,
            "io.c",
            """
            struct io_arg { unsigned int len; unsigned long long addr; };
            #define IO_MAGIC 'k'
            #define IO_RESET _IO(IO_MAGIC, 0)
            #define IO_GET _IOR(IO_MAGIC, 1, struct io_arg)
            #define IO_SET _IOW(IO_MAGIC, 2, struct io_arg)
            #define IO_XCHG _IOWR(IO_MAGIC, 3, int)
            long io_ioctl(unsigned int cmd, unsigned long arg)
            {
              switch (cmd) {
              case IO_RESET: return reset_dev();
              case IO_GET: return get_dev(arg);
              case IO_SET: return set_dev(arg);
              case IO_XCHG: return xchg_dev(arg);
              }
              return _IOC_SIZE(cmd) + _IOC_NR(cmd);
            }
            unsigned int io_set = IO_SET;
            """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
    List<String> callees =
        FrontendTestSupport.calls(FrontendTestSupport.function(tu, "io_ioctl")).stream()
            .map(Expr.Call::calleeName)
            .toList();
    assertEquals(List.of("reset_dev", "get_dev", "set_dev", "xchg_dev"), callees);
    // The number stays an expression the evaluator can read, under the module's macro name.
    Expr init =
        tu.globals().stream()
            .filter(g -> g.name().equals("io_set"))
            .findFirst()
            .orElseThrow()
            .init();
    assertEquals("IO_SET", init.macro());
  }

  @Test
  void sgTablePageIteratorIsALoop() {
    TranslationUnit tu =
        FrontendTestSupport.parse(
            dir,
            "sg.c",
            """
            int count_pages(struct sg_table *sgt)
            {
              struct sg_page_iter it;
              int n = 0;
              for_each_sgtable_page(sgt, &it, 0) {
                n++;
                touch(&it);
              }
              for_each_sgtable_dma_page(sgt, &it, 0)
                touch(&it);
              return n;
            }
            """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
    List<String> callees =
        FrontendTestSupport.calls(FrontendTestSupport.function(tu, "count_pages")).stream()
            .map(Expr.Call::calleeName)
            .toList();
    assertTrue(callees.contains("touch"), callees.toString());
  }
}
