package dev.kmodcheck.ir;

/** A syntax problem the parser reported; it may hide declarations or calls. */
public record ParseProblem(SrcRange range, String message) {}
