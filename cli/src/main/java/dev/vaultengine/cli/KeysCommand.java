package dev.vaultengine.cli;

import dev.vaultengine.VaultEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vault keys ...}: data-key status, rotation and re-encryption. */
@Command(name = "keys", description = "Show, rotate and re-encrypt the data keys.")
final class KeysCommand {
  @ParentCommand
  VaultCli root;

  @Command(name = "status", description = "The data keys and tokens still on older keys.")
  int status() {
    try (VaultEngine engine = root.openEngine()) {
      root.print(Json.keys(engine.keys().status()));
    }
    return 0;
  }

  @Command(name = "rotate", description = "Add a data key and make it primary.")
  int rotate() {
    try (VaultEngine engine = root.openEngine()) {
      engine.keys().rotateDataKey();
      root.print(Json.keys(engine.keys().status()));
    }
    return 0;
  }

  @Command(name = "reencrypt", description = "Move every token to the primary key, then disable "
      + "the older keys once none is left on them.")
  int reencrypt(@Option(names = "--batch-size", defaultValue = "500") int batchSize) {
    try (VaultEngine engine = root.openEngine()) {
      var report = engine.keys().reencrypt(batchSize);
      if (report.remaining() == 0) {
        engine.keys().disableRetiredKeys();
      }
      root.print(Json.reencryption(report));
    }
    return 0;
  }
}
