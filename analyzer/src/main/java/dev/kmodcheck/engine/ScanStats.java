package dev.kmodcheck.engine;

/**
 * Counters of one scan. {@code millis} is wall time (excluded from determinism comparisons).
 * {@code filesFromCache} counts files whose results came from {@code --cache} without parsing; it
 * is shown in the text summary only, so JSON and SARIF are the same with and without a cache.
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
    int filesFromCache,
    long millis) {}
