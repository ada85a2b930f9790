package dev.kmodcheck.check;

import dev.kmodcheck.ir.SrcRange;
import java.io.Serializable;

/**
 * A message about the run itself rather than the code: parse problems in a file, a skipped file.
 * Becomes a SARIF toolExecutionNotification, a text warning and a JSON stats entry.
 *
 * @param level "error", "warning" or "note"
 * @param kind a stable id such as "parse-problems" or "file-skipped"
 */
public record Notification(String level, String kind, String message, SrcRange location)
    implements Serializable {}
