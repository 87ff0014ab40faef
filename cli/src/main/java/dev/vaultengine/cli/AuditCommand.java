package dev.vaultengine.cli;

import dev.vaultengine.AuditVerification;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vault audit ...}: the hash-chained audit trail. */
@Command(name = "audit", description = "List, verify and search the audit trail.")
final class AuditCommand extends CommandGroup {
  /** The exit code of {@code audit verify} when the trail is broken. */
  static final int BROKEN = 6;

  @ParentCommand
  VaultCli root;

  @Command(name = "list", description = "Print audit entries, oldest first, one JSON object per "
      + "line. Secrets appear only as HMACs. JSON only: --output table is refused.")
  int list(
      @Option(names = "--after", defaultValue = "0", paramLabel = "SEQUENCE",
          description = "Entries after this sequence (default: from the first).") long after,
      @Option(names = "--limit", defaultValue = "1000", paramLabel = "N",
          description = "At most this many (1-1000; default: ${DEFAULT-VALUE}).") int limit) {
    root.requireJsonLines("audit list");
    return root.withEngine(engine ->
        engine.audit().list(after, limit).forEach(e -> root.printLine(Json.auditEntry(e))));
  }

  @Command(name = "verify", description = "Check the chain: names the first entry deleted, "
      + "altered, inserted or reordered, and a cut-off tail. Exit code 0 when intact, "
      + BROKEN + " when not. Record the printed head_sequence and head_mac somewhere else and "
      + "pass them back as --anchor to detect a later rollback of the whole trail.")
  int verify(@Option(names = "--anchor", paramLabel = "SEQUENCE:MAC",
      description = "An earlier head_sequence:head_mac that must still be in the trail.")
      String anchor) {
    AtomicInteger code = new AtomicInteger();
    root.withEngine(engine -> {
      AuditVerification v;
      if (anchor == null) {
        v = engine.audit().verify();
      } else {
        int colon = anchor.indexOf(':');
        long sequence;
        try {
          sequence = Long.parseLong(anchor.substring(0, Math.max(colon, 0)));
        } catch (NumberFormatException e) {
          throw VaultException.invalidRequest(
              "Option '--anchor' must be SEQUENCE:MAC, as audit verify prints them.", "anchor");
        }
        v = engine.audit().verify(sequence, anchor.substring(colon + 1));
      }
      root.print(Json.verification(v));
      code.set(v.intact() ? 0 : BROKEN);
    });
    return code.get();
  }

  @Command(name = "hash", description = "Read a secret from standard input (one line) and print "
      + "its HMAC under this store's audit key and the audit entries that recorded it: whether a "
      + "token was ever stored, without the token being in the trail.")
  int hash() {
    return root.withEngine(engine -> {
      String line = root.readLine("secret");
      Secret secret = Secret.of(line);
      try {
        root.print(Json.secretSearch(engine.audit().hash(secret), engine.audit().find(secret)));
      } finally {
        secret.destroy();
      }
    });
  }
}
