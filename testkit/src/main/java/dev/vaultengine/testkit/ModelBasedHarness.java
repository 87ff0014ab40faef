package dev.vaultengine.testkit;

import dev.vaultengine.VaultException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seeded model-based testing without a framework: random sequences of operations are applied to an
 * engine over a store and to a plain reference model, and every result and invariant is compared
 * after each step. A failing sequence is shrunk by dropping steps, and reported with the seed that
 * replays it ({@code -Dvault.seed=N}); {@code -Dvault.sequences=N} sets how many run.
 *
 * <p>Every credential kind takes part: {@code static_bearer} and {@code mcp_oauth} credentials
 * (sharing the one-active-credential-per-URL rule), with and without a refresh grant and each
 * client authentication, and {@code environment_variable} credentials with their networking and
 * injection locations. Creates, in-place updates of every field (valid and refused), rotations
 * and archives of all kinds are mixed; the model predicts each result, each credential's
 * non-secret fields after every step, every secret field's stored value (read back with the
 * stored format, independently of the engine), every resolve and every substitution.
 *
 * <p>The parts, each in a class of its own: the operations, which apply themselves to the engine
 * and to the model ({@link ModelOperation}); the reference model ({@link ReferenceModel}); the
 * generator with its weight table ({@link OperationGenerator}); the shrinker ({@link Shrinker});
 * and one sequence's run with its checks and invariants ({@link ModelRun}). This class ties them
 * together: a sequence per seed, run on fresh data from a {@link StoreFixture}, shrunk on failure.
 */
public final class ModelBasedHarness {

  /**
   * Figures of a run.
   *
   * @param sequences sequences run
   * @param operations steps run
   * @param firstSeed the first sequence's seed
   * @param tally how often each kind of step ran and ended how, such as
   *     {@code "update mcp_oauth refresh_token -> ok"}, sorted by name
   */
  public record Report(int sequences, long operations, long firstSeed, Map<String, Long> tally) {

    /** The total of the tally's entries whose name starts with {@code prefix}. */
    public long count(String prefix) {
      return tally.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
          .mapToLong(Map.Entry::getValue).sum();
    }
  }

  private final StoreFixture stores;
  private final Map<String, Long> tally = new TreeMap<>();
  private SecretLeakGuard guard;

  /** A harness that runs each sequence on fresh data of {@code stores}. */
  public ModelBasedHarness(StoreFixture stores) {
    this.stores = stores;
  }

  /**
   * Registers every secret the harness writes with {@code guard}, so that a test class watching
   * its logs, output and exceptions looks for them too.
   *
   * @return this harness
   */
  public ModelBasedHarness watchSecretsWith(SecretLeakGuard guard) {
    this.guard = guard;
    return this;
  }

  /** The sequence of operations {@code seed} stands for. */
  static List<ModelOperation> generate(long seed) {
    return OperationGenerator.MODEL.generate(seed);
  }

  /** Runs {@code ops} on fresh data; returns the failure, or null. */
  AssertionError runSequence(long seed, List<ModelOperation> ops) {
    ModelRun run = new ModelRun(stores.fresh(), seed, guard, tally);
    try {
      for (ModelOperation op : ops) {
        run.step++;
        op.apply(run);
        run.invariants();
      }
      run.step++;
      run.checkSecrets();
      return null;
    } catch (AssertionError e) {
      return new AssertionError(where(run, ops) + ": " + e.getMessage(), e);
    } catch (VaultException e) {
      return new AssertionError(where(run, ops) + ": unexpected " + e, e);
    } finally {
      run.close();
    }
  }

  private static String where(ModelRun run, List<ModelOperation> ops) {
    return run.step > ops.size() ? "the final secret check"
        : "step " + run.step + " " + ops.get(run.step - 1);
  }

  /** Drops steps while the sequence of {@code seed} still fails; see {@link Shrinker}. */
  List<ModelOperation> shrink(long seed, List<ModelOperation> failing) {
    return Shrinker.shrink(failing, candidate -> runSequence(seed, candidate) != null);
  }

  /**
   * Runs {@code sequences} sequences from {@code firstSeed} (or only the one given by
   * {@code -Dvault.seed}); throws an {@link AssertionError} with the seed and the shrunk steps on
   * the first failure.
   */
  public Report run(int sequences, long firstSeed) {
    Long replay = Long.getLong("vault.seed");
    long operations = 0;
    int count = replay != null ? 1 : sequences;
    for (int i = 0; i < count; i++) {
      long seed = replay != null ? replay : firstSeed + i;
      List<ModelOperation> ops = generate(seed);
      operations += ops.size();
      AssertionError failure = runSequence(seed, ops);
      if (failure != null) {
        List<ModelOperation> shrunk = shrink(seed, ops);
        AssertionError again = runSequence(seed, shrunk);
        throw new ShrunkFailure(seed, ops.size(), shrunk, again != null ? again : failure);
      }
    }
    return new Report(count, operations, replay != null ? replay : firstSeed,
        Collections.unmodifiableMap(new TreeMap<>(tally)));
  }

  /** A failure with its seed and the shortest failing sequence found. */
  public static final class ShrunkFailure extends AssertionError {
    private final long seed;
    private final List<?> steps;

    ShrunkFailure(long seed, int originalSteps, List<?> steps, AssertionError cause) {
      super("model-based test failed with seed " + seed + " (replay: -Dvault.seed=" + seed
          + "); " + originalSteps + " steps shrunk to " + steps.size() + ": " + steps
          + "\nfailure: " + cause.getMessage(), cause);
      this.seed = seed;
      this.steps = List.copyOf(steps);
    }

    /** The seed that replays the failure. */
    public long seed() {
      return seed;
    }

    /** The shrunk sequence of steps. */
    public List<?> steps() {
      return steps;
    }
  }
}
