package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wording of atomic findings through the command line. */
class AtomicMessagesE2ETest {

  private static List<String> messages(Path file) {
    JsonNode findings =
        Cli.check(Cli.CORPUS, List.of("-f", "json", "--fail-on", "none"), file)
            .expectCode(0)
            .json()
            .path("findings");
    List<String> out = new ArrayList<>();
    for (JsonNode f : findings) out.add(f.path("line").asInt() + ": " + f.path("message").asText());
    return out;
  }

  /** A lock is named as written at its lock call, not through the local's value. */
  @Test
  void locksAreNamedAsWrittenAtTheLockCall() {
    assertEquals(
        List.of(
            "22: mutex_lock() may sleep but is called with spinlock 'xc->lock' held"
                + " (taken at lock_names.c:20)"),
        messages(Cli.CORPUS.resolve("c/atomic/lock_names.c")));
  }

  /**
   * The flags a chain's allocation uses: its own fixed ones when no caller hands flags down, not
   * the value a step shows for a condition ("with alloc = GFP_ATOMIC"); and the outer caller's
   * constant when the helpers pass a gfp parameter on. The miss of a lookup is named as a
   * condition.
   */
  @Test
  void chainsNameTheFlagsTheAllocationUses() {
    List<String> found = messages(Cli.CORPUS.resolve("c/atomic/lookup_miss.c"));
    assertEquals(
        "60: lm_peer_to_conn() may sleep (it reaches kmalloc with GFP_NOFS at"
            + " lookup_miss.c:30) but is called with spinlock 'node->state_lock' held (taken at"
            + " lookup_miss.c:59); only when lm_find_conn(peer) == NULL",
        found.get(0));
    assertEquals(
        "24: gp_outer() may sleep (it reaches kmalloc with GFP_KERNEL at"
            + " gfp_param_chain.c:13) but is called with spinlock 'd->lock' held (taken at"
            + " gfp_param_chain.c:23)",
        messages(Cli.CORPUS.resolve("c/atomic/gfp_param_chain.c")).get(0));
  }

  /**
   * A lock released through a copy of the pointer it was taken through is still named as its lock
   * call wrote it, and a pointer assigned since names the object it points at now.
   */
  @Test
  void aliasedLocksAreNamedAsWrittenAtTheLockCall() {
    List<String> walks =
        messages(Cli.CORPUS.resolve("c/atomic/lock_alias.c")).stream()
            .filter(m -> m.startsWith("65:") || m.startsWith("79:"))
            .toList();
    assertEquals(
        List.of(
            "65: mutex_lock() may sleep but is called with spinlock 'p->lock' held"
                + " (taken at lock_alias.c:55)",
            "79: msleep() may sleep but is called with spinlock 'p->lock' held"
                + " (taken at lock_alias.c:76)"),
        walks);
  }
}
