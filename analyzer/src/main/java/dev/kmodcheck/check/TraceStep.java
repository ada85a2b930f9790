package dev.kmodcheck.check;

import dev.kmodcheck.ir.SrcRange;
import java.io.Serializable;

/**
 * One step of a finding's evidence: where atomic context began, a call of the chain, the
 * allocation. Becomes a SARIF threadFlow location, a text {@code note:} line and a JSON trace item.
 */
public record TraceStep(SrcRange range, String message) implements Serializable {}
