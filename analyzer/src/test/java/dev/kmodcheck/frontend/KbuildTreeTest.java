package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kbuild files and module Makefiles read for header-less flags, as kbuild would read them. */
class KbuildTreeTest {

  @TempDir Path dir;

  private Path write(String rel, String text) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private static final String MAKEFILE =
      """
      # An out-of-tree module's Makefile: the kbuild part and the default target.
      MOD_DIR := $(shell pwd)
      ifneq ($(KERNELRELEASE),)
      obj-m += mymod.o
      mymod-y := core/main.o hw/timer.o
      ccflags-y += -I$(src)/include \\
      	-DMY_RING=512 -DMY_PATH=\\"/lib/firmware/\\"
      ccflags-$(CONFIG_MY_DEBUG) += -DMY_DEBUG
      EXTRA_CFLAGS += -I$(srctree)/$(src)/hw -Iinclude/linux
      CFLAGS_timer.o := -DMY_TIMER_ONLY
      ifeq ($(CONFIG_MY_USB),y)
      EXTRA_CFLAGS += -DMY_USB
      else
      EXTRA_CFLAGS += -DMY_PCI
      endif
      ifeq ($(findstring dkms,$(PATH)),dkms)
      EXTRA_CFLAGS += -I$(MOD_DIR)/dkms -DMY_DKMS
      endif
      ccflags-y += -I$(KSRC)/drivers/foo
      include $(src)/extra.mk
      -include /etc/os-release
      else
      ccflags-y += -DNOT_IN_KBUILD
      all:
      	$(MAKE) -C $(KSRC) M=$(shell pwd) ccflags-y=-DRECIPE modules
      endif
      """;

  @Test
  void flagsFollowTheKbuildPass() throws Exception {
    write("Makefile", MAKEFILE);
    write("extra.mk", "ccflags-y += -DFROM_EXTRA -include $(src)/include/config.h\n");
    write("include/config.h", "#define X 1\n");
    Path main = write("core/main.c", "int x;\n");
    Path timer = write("hw/timer.c", "int y;\n");
    KbuildTree tree = new KbuildTree(dir, Map.of());
    tree.prepare(List.of(main, timer));
    CompileCommand c = tree.forFile(main).command();
    assertEquals(
        List.of(dir.resolve("include"), dir.resolve("hw"), dir.resolve("dkms")), c.includes());
    assertEquals(
        Map.of("MY_RING", "512", "MY_PATH", "\"/lib/firmware/\"", "MY_PCI", "1", "FROM_EXTRA", "1"),
        Map.copyOf(c.defines()));
    assertEquals(List.of(dir.resolve("include/config.h")), c.forcedIncludes());
    assertEquals(
        List.of(dir.resolve("Makefile"), dir.resolve("extra.mk")), tree.forFile(main).makefiles());
    assertEquals("1", tree.forFile(timer).command().defines().get("MY_TIMER_ONLY"));
    List<KbuildTree.Note> notes = tree.notes();
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).message().contains("-I?/drivers/foo"), notes.toString());
  }

  @Test
  void commandLineConfigReachesTheConditionals() throws Exception {
    write("Makefile", MAKEFILE);
    Path main = write("core/main.c", "int x;\n");
    KbuildTree tree = new KbuildTree(dir, Map.of("CONFIG_MY_USB", "y", "CONFIG_MY_DEBUG", "y"));
    Map<String, String> d = tree.forFile(main).command().defines();
    assertEquals("1", d.get("MY_USB"));
    assertEquals("1", d.get("MY_DEBUG"));
    assertTrue(!d.containsKey("MY_PCI"), d.toString());
  }

  @Test
  void kbuildWinsOverMakefileAndDeeperFilesAddTheirFlags() throws Exception {
    write("Makefile", "ccflags-y := -DFROM_MAKEFILE\n");
    write("Kbuild", "ccflags-y := -DFROM_KBUILD -I$(src)/inc\n");
    write("sub/Kbuild", "ccflags-y += -I$(src)/local -UFROM_KBUILD\n");
    Path f = write("sub/a.c", "int a;\n");
    CompileCommand c = new KbuildTree(dir, Map.of()).forFile(f).command();
    assertEquals(List.of(dir.resolve("inc"), dir.resolve("sub/local")), c.includes());
    assertTrue(c.defines().containsKey("FROM_KBUILD") && c.defines().get("FROM_KBUILD") == null);
    assertTrue(!c.defines().containsKey("FROM_MAKEFILE"));
  }

  @Test
  void nothingAboveTheRootAndNothingUnderstoodIsNoFlags() throws Exception {
    write("Makefile", "ccflags-y := -DOUTSIDE\n");
    write("mod/Makefile", "all:\n\t$(MAKE) -C /lib/modules/x M=$$PWD\n");
    Path f = write("mod/a.c", "int a;\n");
    KbuildTree tree = new KbuildTree(dir.resolve("mod"), Map.of());
    assertTrue(tree.forFile(f).command().defines().isEmpty());
    assertTrue(tree.notes().isEmpty());
    assertEquals(null, new KbuildTree(dir.resolve("mod/none"), Map.of()).forFile(f).command());
  }

  @Test
  void objectListsGiveTheOptionsAFileIsBuiltUnder() throws Exception {
    write(
        "Makefile",
        """
        obj-y += core.o shared.o sub/
        obj-$(CONFIG_A_SMP) += smp.o net/
        obj-$(CONFIG_A_PM) += shared.o
        obj-$(CONFIG_A_CODEC) += a-codec.o
        a-codec-objs := codec_main.o
        a-codec-$(CONFIG_A_CODEC_DMA) += codec_dma.o
        obj-$(CONFIG_A_SET) += set.o
        ifeq ($(CONFIG_A_SET),y)
        obj-$(CONFIG_A_MAYBE) += maybe.o
        endif
        """);
    write("net/Makefile", "obj-$(CONFIG_A_TX) += tx.o\nobj-y += rx.o\n");
    write("sub/Makefile", "obj-y += leaf.o\n");
    KbuildTree tree = new KbuildTree(dir, Map.of("CONFIG_A_SET", "y"));
    assertEquals(Set.of(), configs(tree, "core.c"));
    assertEquals(Set.of("CONFIG_A_SMP"), configs(tree, "smp.c"));
    // Listed under no option once, and under one option elsewhere: built without it.
    assertEquals(Set.of(), configs(tree, "shared.c"));
    assertEquals(Set.of("CONFIG_A_CODEC"), configs(tree, "codec_main.c"));
    assertEquals(Set.of("CONFIG_A_CODEC", "CONFIG_A_CODEC_DMA"), configs(tree, "codec_dma.c"));
    assertEquals(Set.of("CONFIG_A_SMP", "CONFIG_A_TX"), configs(tree, "net/tx.c"));
    assertEquals(Set.of("CONFIG_A_SMP"), configs(tree, "net/rx.c"));
    assertEquals(Set.of(), configs(tree, "sub/leaf.c"));
    // The command line sets CONFIG_A_SET: the file needs nothing left undefined.
    assertEquals(Set.of(), configs(tree, "set.c"));
    assertEquals(Set.of("CONFIG_A_MAYBE"), configs(tree, "maybe.c"));
    // Not in any object list (an included .c, a file of another build): nothing known.
    assertEquals(Set.of(), configs(tree, "unlisted.c"));
  }

  private Set<String> configs(KbuildTree tree, String rel) throws Exception {
    return tree.forFile(write(rel, "int x;\n")).buildConfigs();
  }
}
