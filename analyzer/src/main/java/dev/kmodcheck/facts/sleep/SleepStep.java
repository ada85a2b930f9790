package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.ir.SrcRange;

/** One call of a may-sleep chain, e.g. "helper() calls kzalloc(size, GFP_KERNEL)". */
public record SleepStep(SrcRange range, String message) {}
