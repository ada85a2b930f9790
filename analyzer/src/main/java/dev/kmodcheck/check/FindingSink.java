package dev.kmodcheck.check;

/** Where rules put findings. Implementations are thread-safe. */
@FunctionalInterface
public interface FindingSink {
  void report(Finding finding);
}
