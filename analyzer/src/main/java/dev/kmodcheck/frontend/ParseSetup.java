package dev.kmodcheck.frontend;

import dev.kmodcheck.facts.KernelVersion;

/**
 * How header-less parses are preprocessed, beyond the target: the kernel release that version
 * checks and the shim's version-dependent macros follow.
 */
public record ParseSetup(KernelVersion kernelVersion) {

  public static final ParseSetup DEFAULT = new ParseSetup(KernelVersion.DEFAULT);

  public ParseSetup {
    if (kernelVersion == null) kernelVersion = KernelVersion.DEFAULT;
  }
}
