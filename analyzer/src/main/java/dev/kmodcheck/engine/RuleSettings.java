package dev.kmodcheck.engine;

import dev.kmodcheck.check.Severity;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a project says about the rules (its .kmodcheck.json, read by the CLI): which do not run, and
 * the severity others report at. Rule ids include the suppression meta rules.
 *
 * @param disabled ids of rules that do not run and whose findings are dropped
 * @param severities the severity a rule's certain findings are reported at, by id
 */
public record RuleSettings(Set<String> disabled, Map<String, Severity> severities) {
  /** Every rule runs at its own severity. */
  public static final RuleSettings DEFAULTS = new RuleSettings(Set.of(), Map.of());

  public RuleSettings {
    disabled = Set.copyOf(disabled);
    severities = Map.copyOf(severities);
  }

  public boolean enabled(String id) {
    return !disabled.contains(id);
  }

  public Optional<Severity> severity(String id) {
    return Optional.ofNullable(severities.get(id));
  }
}
