package dev.kmodcheck.facts.origin;

import dev.kmodcheck.ir.SrcRange;

/**
 * One step of a pointer's history: the allocation or declaration, an assignment, a store into a
 * struct field, a call passing it on, a return. Rules turn these into trace steps.
 */
public record OriginStep(SrcRange range, String message) {}
