package dev.vaultengine.cli;

import dev.vaultengine.VaultEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vault keys ...}: data-key status, rotation and re-encryption. */
@Command(name = "keys", description = "Show, rotate and re-encrypt the data keys.")
final class KeysCommand extends CommandGroup {
  @ParentCommand
  VaultCli root;

  @Command(name = "status", description = "The data keys and tokens still on older keys.")
  int status() {
    return root.withEngine(engine -> {
      root.print(Json.keys(engine.keys().status()));
    });
  }

  @Command(name = "rotate", description = "Add a data key and make it primary.")
  int rotate() {
    return root.withEngine(engine -> {
      engine.keys().rotateDataKey();
      root.print(Json.keys(engine.keys().status()));
    });
  }

  @Command(name = "reencrypt", description = "Move every token to the primary key, then disable "
      + "the older keys once none is left on them.")
  int reencrypt(@Option(names = "--batch-size", defaultValue = "500", paramLabel = "N",
      description = "Tokens re-encrypted per transaction (default: ${DEFAULT-VALUE}).")
      int batchSize) {
    return root.withEngine(engine -> {
      TerminalProgress line = TerminalProgress.on(root.err());
      var report = engine.keys().reencrypt(batchSize,
          (done, total) -> line.show("re-encrypting: " + done + " of " + total));
      line.end();
      if (report.remaining() == 0) {
        engine.keys().disableRetiredKeys();
      }
      root.print(Json.reencryption(report));
    });
  }
}
