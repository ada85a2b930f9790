package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull-request gates on code with old findings: {@code --diff-base REV} keeps findings on lines
 * changed since REV (their place or their evidence), {@code --new-since REV} those a scan of REV
 * does not have.
 */
class ChangedLinesE2ETest {

  @TempDir Path repo;
  private Path drv;

  private void git(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.org",
                "-c",
                "commit.gpgsign=false"));
    command.addAll(List.of(args));
    ExternalTools.Result r = ExternalTools.run(command, repo, 60);
    assertEquals(0, r.code(), r.out());
  }

  @BeforeEach
  void commitOldCode() {
    if (ExternalTools.onPath("git") == null) ExternalTools.unavailable("git is not installed");
    // An old costly kmalloc, and a GFP_KERNEL allocation that is fine without a lock.
    drv =
        CFiles.write(
            repo,
            "drv/ring.c",
            "#include <linux/slab.h>",
            "#include <linux/spinlock.h>",
            "",
            "static DEFINE_SPINLOCK(ring_lock);",
            "",
            "void *ring_alloc(void)",
            "{",
            "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
            "}",
            "",
            "void *ring_entry(size_t len)",
            "{",
            "\tvoid *e;",
            "",
            "\te = kmalloc(len, GFP_KERNEL);",
            "\treturn e;",
            "}");
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "old");
  }

  private JsonNode check(String... options) {
    List<String> opts = new ArrayList<>(List.of("-f", "json"));
    opts.addAll(List.of(options));
    return Cli.check(repo, opts, repo.resolve("drv")).json().path("findings");
  }

  /** The change: the allocation now runs under the lock; neither kmalloc line is touched. */
  private void lockAroundTheEntryAllocation() throws Exception {
    Files.writeString(
        drv,
        Files.readString(drv)
            .replace(
                "\te = kmalloc(len, GFP_KERNEL);\n",
                "\tspin_lock(&ring_lock);\n\te = kmalloc(len, GFP_KERNEL);\n"
                    + "\tspin_unlock(&ring_lock);\n"));
  }

  @Test
  void diffBaseKeepsFindingsWhoseEvidenceWasChanged() throws Exception {
    assertEquals(1, check().size(), "the old finding");
    assertEquals(0, check("--diff-base", "HEAD").size(), "nothing changed");
    lockAroundTheEntryAllocation();
    JsonNode all = check();
    assertEquals(2, all.size(), all.toString());
    JsonNode onDiff = check("--diff-base", "HEAD");
    assertEquals(1, onDiff.size(), onDiff.toString());
    JsonNode f = onDiff.get(0);
    assertEquals("sleeping-alloc-in-atomic", f.path("ruleId").asText());
    // Its own line is unchanged: the lock taken on a changed line brings it in.
    assertEquals(CFiles.lineOf(drv, "e = kmalloc"), f.path("line").asInt());
    Cli.Run r = Cli.check(repo, List.of("--diff-base", "HEAD"), repo.resolve("drv"));
    assertTrue(r.err().contains("1 off the lines changed since HEAD"), r.err());
  }

  @Test
  void newSinceKeepsFindingsTheRevisionDidNotHave() throws Exception {
    lockAroundTheEntryAllocation();
    // Lines above move the old finding: it is matched by fingerprint, not line.
    Files.writeString(drv, "/* moved */\n\n" + Files.readString(drv));
    JsonNode fresh = check("--new-since", "HEAD");
    assertEquals(1, fresh.size(), fresh.toString());
    assertEquals("sleeping-alloc-in-atomic", fresh.get(0).path("ruleId").asText());
    git("add", ".");
    git("commit", "-q", "-m", "lock");
    assertEquals(0, check("--new-since", "HEAD").size());
    assertEquals(1, check("--new-since", "HEAD~1").size());
  }

  @Test
  void filesTheRevisionLacksAreAllNew() throws Exception {
    Files.createDirectories(repo.resolve("drv/new"));
    Files.writeString(repo.resolve("drv/new/README"), "docs only\n");
    git("add", ".");
    git("commit", "-q", "-m", "a directory without C files");
    CFiles.write(
        repo,
        "drv/new/big.c",
        "#include <linux/slab.h>",
        "void *big(void)",
        "{",
        "\treturn kmalloc(SZ_128K, GFP_KERNEL);",
        "}");
    JsonNode fresh =
        Cli.check(repo, List.of("-f", "json", "--new-since", "HEAD"), repo.resolve("drv/new"))
            .expectCode(1)
            .json()
            .path("findings");
    assertEquals(1, fresh.size(), fresh.toString());
  }

  @Test
  void aBadRevisionOrNoRepositoryIsBadInput() throws Exception {
    Cli.Run bad = Cli.check(repo, List.of("--diff-base", "no-such-rev"), repo.resolve("drv"));
    bad.expectCode(2);
    assertTrue(bad.err().contains("--diff-base: unknown revision 'no-such-rev'"), bad.err());
    assertEquals(1, bad.errLines().size(), bad.err());
    Cli.Run opt = Cli.check(repo, List.of("--new-since", "--help"), repo.resolve("drv"));
    opt.expectCode(2);
  }
}
