package dev.kmodcheck.engine;

/**
 * Counters of one scan. {@code millis} is wall time (excluded from determinism comparisons).
 *
 * @param parseProblems syntax problems in all files
 * @param filesWithProblems files with at least one syntax problem
 */
public record ScanStats(
    int files,
    long lines,
    int functions,
    int parseProblems,
    int filesWithProblems,
    int filesSkipped,
    long millis) {}
