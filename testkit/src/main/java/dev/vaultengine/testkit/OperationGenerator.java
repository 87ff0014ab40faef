package dev.vaultengine.testkit;

import static dev.vaultengine.testkit.ReferenceModel.MCP_SPECS;
import static dev.vaultengine.testkit.ReferenceModel.NAMES;
import static dev.vaultengine.testkit.ReferenceModel.SECRET_NAMES;
import static dev.vaultengine.testkit.ReferenceModel.SPECS;
import static dev.vaultengine.testkit.ReferenceModel.UPDATE_KINDS;
import static dev.vaultengine.testkit.ReferenceModel.URLS;

import dev.vaultengine.testkit.ModelOperation.AddCredential;
import dev.vaultengine.testkit.ModelOperation.ArchiveCredential;
import dev.vaultengine.testkit.ModelOperation.ArchiveVault;
import dev.vaultengine.testkit.ModelOperation.CheckSecrets;
import dev.vaultengine.testkit.ModelOperation.CreateVault;
import dev.vaultengine.testkit.ModelOperation.DeleteCredential;
import dev.vaultengine.testkit.ModelOperation.DeleteVault;
import dev.vaultengine.testkit.ModelOperation.Environment;
import dev.vaultengine.testkit.ModelOperation.GetVault;
import dev.vaultengine.testkit.ModelOperation.Intrude;
import dev.vaultengine.testkit.ModelOperation.ListCredentials;
import dev.vaultengine.testkit.ModelOperation.ListVaults;
import dev.vaultengine.testkit.ModelOperation.Reencrypt;
import dev.vaultengine.testkit.ModelOperation.Rename;
import dev.vaultengine.testkit.ModelOperation.Reopen;
import dev.vaultengine.testkit.ModelOperation.Resolve;
import dev.vaultengine.testkit.ModelOperation.Rotate;
import dev.vaultengine.testkit.ModelOperation.RotateDataKey;
import dev.vaultengine.testkit.ModelOperation.Tick;
import dev.vaultengine.testkit.ModelOperation.UpdateCredential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Draws random operations from a weight table: each entry's weight out of the table's total is
 * how often it is drawn, and its maker chooses the operation's arguments. {@link #MODEL} is the
 * table of the model-based run, {@link #STRESS} the one of the stress run, which draws only the
 * operations that can race.
 *
 * <p>A sequence is a function of its seed alone ({@link #generate(long)}), which is what makes a
 * printed seed replay the same steps ({@code -Dvault.seed=N}). The model table's draws are those
 * of the if-chain it replaced, so seeds printed before still replay the same sequences.
 */
final class OperationGenerator {

  /**
   * One row of a weight table.
   *
   * @param name what the row draws, for reading the table
   * @param weight how many of the table's total draws pick this row
   * @param maker the operation, with arguments from the random source
   */
  record Weighted(String name, int weight, Function<Random, ModelOperation> maker) {}

  /** Vault and credential references range over this many values (modulo what exists). */
  private static final int REFS = 64;
  /** The longest sequence {@link #generate} makes. */
  private static final int MAX_STEPS = 40;

  /** The model-based run's table; weights out of 100, in the order the old if-chain drew. */
  static final OperationGenerator MODEL = new OperationGenerator(List.of(
      new Weighted("create vault", 12, r -> {
        List<Integer> specs = new ArrayList<>();
        for (int n = r.nextInt(3); n >= 0; n--) {
          specs.add(r.nextInt(SPECS));
        }
        return new CreateVault(r.nextInt(NAMES.size()), specs, r.nextInt(1000));
      }),
      new Weighted("add credential", 10,
          r -> new AddCredential(r.nextInt(REFS), r.nextInt(SPECS), r.nextInt(1000))),
      new Weighted("rename vault", 4,
          r -> new Rename(r.nextInt(REFS), r.nextInt(NAMES.size()), r.nextInt(3))),
      new Weighted("archive vault", 4, r -> new ArchiveVault(r.nextInt(REFS))),
      new Weighted("delete vault", 3, r -> new DeleteVault(r.nextInt(REFS))),
      new Weighted("archive credential", 5, r -> new ArchiveCredential(r.nextInt(REFS))),
      new Weighted("delete credential", 3, r -> new DeleteCredential(r.nextInt(REFS))),
      new Weighted("rotate", 6, r -> new Rotate(r.nextInt(REFS))),
      // Two in three updates pick a field of the credential's own kind (see UpdateCredential).
      new Weighted("update credential", 11, r -> new UpdateCredential(r.nextInt(REFS),
          r.nextInt(3 * UPDATE_KINDS), r.nextInt(1000))),
      new Weighted("get vault", 3, r -> new GetVault(r.nextInt(REFS))),
      new Weighted("list vaults", 4,
          r -> new ListVaults(1 + r.nextInt(4), r.nextBoolean(), r.nextInt(4) == 0)),
      new Weighted("list credentials", 4,
          r -> new ListCredentials(r.nextInt(REFS), 1 + r.nextInt(3), r.nextBoolean())),
      new Weighted("resolve", 8,
          r -> new Resolve(vaultRefs(r), r.nextInt(2 * URLS.size()), r.nextInt(2))),
      new Weighted("environment", 8, r -> new Environment(vaultRefs(r),
          r.nextInt(2 * SECRET_NAMES.size()), r.nextInt(ReferenceModel.HOSTS.size()))),
      new Weighted("check secrets", 2, r -> new CheckSecrets()),
      new Weighted("rotate data key", 3, r -> new RotateDataKey()),
      new Weighted("re-encrypt", 2, r -> new Reencrypt()),
      new Weighted("reopen", 3, r -> new Reopen()),
      new Weighted("intrude", 2, r -> new Intrude(r.nextInt(REFS))),
      new Weighted("tick", 3, r -> new Tick(1 + r.nextInt(5)))));

  /**
   * The stress run's table: the operations that race on shared vaults (creates of both MCP kinds,
   * rotations, archives, deletes, resolves, page walks), weighted as the stress loop always was.
   * Only MCP specs, so that every active credential resolves by its URL in the final check.
   */
  static final OperationGenerator STRESS = new OperationGenerator(List.of(
      new Weighted("create vault", 1,
          r -> new CreateVault(r.nextInt(NAMES.size()), List.of(r.nextInt(MCP_SPECS)),
              r.nextInt(1000))),
      new Weighted("add credential", 2,
          r -> new AddCredential(r.nextInt(Integer.MAX_VALUE), r.nextInt(MCP_SPECS),
              r.nextInt(1000))),
      new Weighted("resolve", 1, r -> new Resolve(List.of(r.nextInt(Integer.MAX_VALUE)),
          r.nextInt(URLS.size()), r.nextInt(2))),
      new Weighted("rotate", 1, r -> new Rotate(r.nextInt(Integer.MAX_VALUE))),
      new Weighted("archive credential", 1,
          r -> new ArchiveCredential(r.nextInt(Integer.MAX_VALUE))),
      new Weighted("delete credential", 1,
          r -> new DeleteCredential(r.nextInt(Integer.MAX_VALUE))),
      new Weighted("list vaults", 1, r -> new ListVaults(100, false, false))));

  private final List<Weighted> table;
  private final int total;

  /** A generator drawing from {@code table}. */
  OperationGenerator(List<Weighted> table) {
    this.table = List.copyOf(table);
    this.total = this.table.stream().mapToInt(Weighted::weight).sum();
  }

  /** The rows of the table, in drawing order. */
  List<Weighted> table() {
    return table;
  }

  /** One operation drawn from the table. */
  ModelOperation next(Random r) {
    int k = r.nextInt(total);
    for (Weighted w : table) {
      if (k < w.weight()) {
        return w.maker().apply(r);
      }
      k -= w.weight();
    }
    throw new IllegalStateException("weights sum to " + total);
  }

  /** The sequence of {@code seed}: 5 to 39 operations. */
  List<ModelOperation> generate(long seed) {
    Random r = new Random(seed);
    int steps = 5 + r.nextInt(MAX_STEPS - 5);
    List<ModelOperation> ops = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      ops.add(next(r));
    }
    return ops;
  }

  private static List<Integer> vaultRefs(Random r) {
    List<Integer> vaults = new ArrayList<>();
    for (int n = r.nextInt(3); n >= 0; n--) {
      vaults.add(r.nextInt(REFS));
    }
    return vaults;
  }
}
