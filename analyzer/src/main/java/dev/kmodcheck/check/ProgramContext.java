package dev.kmodcheck.check;

import dev.kmodcheck.facts.KernelApis;
import dev.kmodcheck.facts.Target;
import dev.kmodcheck.ir.TranslationUnit;
import java.util.List;

/** What a whole-program check sees. */
public interface ProgramContext extends FindingSink {
  List<TranslationUnit> units();

  Target target();

  KernelApis apis();
}
