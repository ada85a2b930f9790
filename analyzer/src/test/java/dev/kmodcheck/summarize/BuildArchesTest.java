package dev.kmodcheck.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kmodcheck.kernel.Target;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which architecture a file of the small test tree (resources archtree/) is built for; {@link
 * #tree} is that tree for the other tests.
 */
public class BuildArchesTest {

  public static Path tree() throws Exception {
    return Path.of(BuildArchesTest.class.getResource("archtree/Kbuild").toURI()).getParent();
  }

  @Test
  void configsTiedToOneArchitecture() throws Exception {
    Map<String, String> arches = BuildArches.read(tree()).configArches();
    // No prompt, no default, selected only from arch/um/Kconfig (the x86 help text that says
    // "select INDIRECT_MAP" is help text).
    assertEquals("um", arches.get("INDIRECT_MAP"));
    assertEquals("x86", arches.get("DEMO_X86_ONLY"));
    // Defined only in an architecture's Kconfig.
    assertEquals("um", arches.get("UML"));
    assertEquals("x86", arches.get("X86"));
    // Selected by two architectures, or also from generic code, or settable by the user.
    assertNull(arches.get("GENERIC_MAPPER"));
    assertNull(arches.get("SHARED_MAP"));
    assertNull(arches.get("DEMO_USER_CHOICE"));
    // Selected only by arch/um, but its default may turn it on anywhere (the commented-out
    // prompt before it is no entry of its own).
    assertNull(arches.get("BUS_CORE"));
  }

  @Test
  void filesByPathAndByMakefileListing() throws Exception {
    BuildArches b = BuildArches.read(tree());
    assertEquals("um", b.archOf("lib/indirect_map.c"));
    assertEquals("x86", b.archOf("lib/x86_tables.c"));
    assertNull(b.archOf("lib/map_helpers.c"));
    assertNull(b.archOf("lib/generic_map.c"));
    assertNull(b.archOf("lib/shared_map.c"));
    // A directory listed only for one architecture holds only its files.
    assertEquals("um", b.archOf("lib/um_glue/glue.c"));
    // Parts of a composite object: the composite's condition and the part's own.
    assertNull(b.archOf("lib/part_a.c"));
    assertEquals("um", b.archOf("lib/part_b.c"));
    assertEquals("x86", b.archOf("arch/x86/mm/map.c"));
    assertEquals("mips", b.archOf("arch/mips/kernel/setup.c"));
    assertNull(b.archOf("drivers/demo/demo.c"));
  }

  @Test
  void architectureOfAPath() {
    assertEquals("ia64", Target.kernelArchOf("arch/ia64/kernel/iosapic.c"));
    assertEquals("mips", Target.kernelArchOf("linux/arch/mips/txx9/setup.c"));
    // UML's code for its host architecture is built by arch/um only.
    assertEquals("um", Target.kernelArchOf("arch/x86/um/ldt.c"));
    assertNull(Target.kernelArchOf("arch/Kconfig"));
    assertNull(Target.kernelArchOf("drivers/gpu/drm/i915/i915_drv.c"));
    assertNull(Target.kernelArchOf("drivers/search/monarch/x.c"));
    assertEquals("x86", Target.defaultTarget().kernelArch());
  }
}
