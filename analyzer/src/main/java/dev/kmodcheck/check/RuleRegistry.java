package dev.kmodcheck.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** The rules on the class path, found with {@link ServiceLoader}, sorted by id. */
public final class RuleRegistry {

  private RuleRegistry() {}

  public static List<Rule> load() {
    return load(RuleRegistry.class.getClassLoader());
  }

  public static List<Rule> load(ClassLoader loader) {
    List<Rule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Rule r : ServiceLoader.load(Rule.class, loader)) {
      if (!ids.add(r.info().id())) {
        throw new IllegalStateException("two rules share the id " + r.info().id());
      }
      rules.add(r);
    }
    rules.sort(Comparator.comparing(r -> r.info().id()));
    return rules;
  }
}
