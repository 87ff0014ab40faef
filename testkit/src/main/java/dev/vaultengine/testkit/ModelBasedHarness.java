package dev.vaultengine.testkit;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.ErrorType;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Page;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.spi.VaultStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Seeded model-based testing without a framework: random sequences of operations are applied to an
 * engine over a store and to a plain reference model, and every result and invariant is compared
 * after each step. A failing sequence is shrunk by dropping steps, and reported with the seed that
 * replays it ({@code -Dvault.seed=N}); {@code -Dvault.sequences=N} sets how many run.
 */
public final class ModelBasedHarness {

  /** Opens stores for the harness. */
  public interface Stores {
    /** A new, empty store, and a way to reopen it (same data) after it was closed. */
    Reopenable fresh();
  }

  /** A store that can be closed and opened again on the same data. */
  public interface Reopenable {
    /** Opens the store (again). */
    VaultStore open();

    /** Releases everything; called once when the sequence is done. */
    default void dispose() {}
  }

  /** Figures of a run. */
  public record Report(int sequences, long operations, long firstSeed) {}

  private static final int MAX_STEPS = 40;
  private static final String ACCOUNT = "model";
  private static final String OTHER = "intruder";

  private final Stores stores;

  /** A harness over {@code stores}. */
  public ModelBasedHarness(Stores stores) {
    this.stores = stores;
  }

  // ---------------------------------------------------------------- operations

  /** One step. References pick among records created so far, modulo their number. */
  sealed interface Op permits CreateVault, AddCredential, Rename, ArchiveVault, DeleteVault,
      ArchiveCredential, DeleteCredential, Rotate, GetVault, ListVaults, ListCredentials,
      Resolve, RotateDataKey, Reencrypt, Reopen, Intrude, Tick {}

  record CreateVault(int name, List<Integer> urls) implements Op {}

  record AddCredential(int vault, int url) implements Op {}

  record Rename(int vault, int name, int metaKey) implements Op {}

  record ArchiveVault(int vault) implements Op {}

  record DeleteVault(int vault) implements Op {}

  record ArchiveCredential(int credential) implements Op {}

  record DeleteCredential(int credential) implements Op {}

  record Rotate(int credential) implements Op {}

  record GetVault(int vault) implements Op {}

  record ListVaults(int limit, boolean includeArchived, boolean byName) implements Op {}

  record ListCredentials(int vault, int limit, boolean includeArchived) implements Op {}

  record Resolve(List<Integer> vaults, int url, int variant) implements Op {}

  record RotateDataKey() implements Op {}

  record Reencrypt() implements Op {}

  record Reopen() implements Op {}

  record Intrude(int vault) implements Op {}

  record Tick(int seconds) implements Op {}

  private static final List<String> URLS = List.of("https://a.example/mcp",
      "https://A.EXAMPLE:443/mcp", "https://a.example/mcp/", "http://a.example/mcp",
      "https://b.example/sse", "https://b.example:8443/sse", "https://c.example/x?q=1",
      "https://c.example/x?q=2");
  private static final List<String> NAMES = List.of("prod", "Prod_50%", "dev", "team\\a",
      "\uD83D\uDD11 keys", "o'brien");

  static List<Op> generate(long seed) {
    Random r = new Random(seed);
    int steps = 5 + r.nextInt(MAX_STEPS - 5);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      int k = r.nextInt(100);
      Op op;
      if (k < 14) {
        List<Integer> urls = new ArrayList<>();
        for (int n = r.nextInt(3); n >= 0; n--) {
          urls.add(r.nextInt(URLS.size()));
        }
        op = new CreateVault(r.nextInt(NAMES.size()), urls);
      } else if (k < 26) {
        op = new AddCredential(r.nextInt(64), r.nextInt(URLS.size()));
      } else if (k < 31) {
        op = new Rename(r.nextInt(64), r.nextInt(NAMES.size()), r.nextInt(3));
      } else if (k < 36) {
        op = new ArchiveVault(r.nextInt(64));
      } else if (k < 40) {
        op = new DeleteVault(r.nextInt(64));
      } else if (k < 46) {
        op = new ArchiveCredential(r.nextInt(64));
      } else if (k < 50) {
        op = new DeleteCredential(r.nextInt(64));
      } else if (k < 58) {
        op = new Rotate(r.nextInt(64));
      } else if (k < 62) {
        op = new GetVault(r.nextInt(64));
      } else if (k < 68) {
        op = new ListVaults(1 + r.nextInt(4), r.nextBoolean(), r.nextInt(4) == 0);
      } else if (k < 73) {
        op = new ListCredentials(r.nextInt(64), 1 + r.nextInt(3), r.nextBoolean());
      } else if (k < 87) {
        List<Integer> vaults = new ArrayList<>();
        for (int n = r.nextInt(3); n >= 0; n--) {
          vaults.add(r.nextInt(64));
        }
        op = new Resolve(vaults, r.nextInt(URLS.size()), r.nextInt(2));
      } else if (k < 90) {
        op = new RotateDataKey();
      } else if (k < 93) {
        op = new Reencrypt();
      } else if (k < 96) {
        op = new Reopen();
      } else if (k < 98) {
        op = new Intrude(r.nextInt(64));
      } else {
        op = new Tick(1 + r.nextInt(5));
      }
      ops.add(op);
    }
    return ops;
  }

  // ---------------------------------------------------------------- the reference model

  /** A vault as the model knows it. */
  private static final class MVault {
    final int index;
    String realId;
    String name;
    Map<String, String> metadata = new HashMap<>();
    boolean archived;
    boolean deleted;

    MVault(int index) {
      this.index = index;
    }
  }

  /** A credential as the model knows it. */
  private static final class MCred {
    MVault vault;
    String realId;
    String url;
    String key;
    String token;
    boolean archived;
    boolean deleted;
  }

  /** One sequence being run against one store, with its model. */
  private final class Run implements AutoCloseable {
    final Reopenable reopenable;
    final MutableClock clock = new MutableClock(Instant.parse("2026-05-18T15:34:16Z"));
    final KeyEncryptionKey kek = TestKeys.randomKek();
    final List<MVault> vaults = new ArrayList<>();
    final List<MCred> creds = new ArrayList<>();
    final long seed;
    VaultEngine engine;
    VaultService service;
    int tokens;
    int step;
    int opened;

    Run(Reopenable reopenable, long seed) {
      this.reopenable = reopenable;
      this.seed = seed;
      open();
    }

    void open() {
      // A restarted process draws fresh random bits: a new id stream per opening.
      engine = VaultEngine.builder().store(reopenable.open()).keyEncryptionKey(kek).clock(clock)
          .idGenerator(IdGenerator.uuidV7(clock, seed * 31 + opened++)).build();
      service = engine.forAccount(ACCOUNT);
    }

    @Override
    public void close() {
      if (engine != null) {
        engine.close();
      }
      reopenable.dispose();
    }

    String nextToken() {
      return "tok_model_" + seed + "_" + (tokens++);
    }

    MVault vault(int ref) {
      return vaults.isEmpty() ? null : vaults.get(ref % vaults.size());
    }

    MCred cred(int ref) {
      return creds.isEmpty() ? null : creds.get(ref % creds.size());
    }

    MCred activeIn(MVault v, String key) {
      for (MCred c : creds) {
        if (c.vault == v && !c.archived && !c.deleted && c.key.equals(key)) {
          return c;
        }
      }
      return null;
    }
  }

  /** Expected failure of a step, or null for success. */
  private static ErrorType expectVault(MVault v, boolean mustBeActive) {
    if (v.deleted) {
      return ErrorType.NOT_FOUND;
    }
    return mustBeActive && v.archived ? ErrorType.CONFLICT : null;
  }

  private static ErrorType expectCredential(MCred c, boolean mustBeActive) {
    if (c.deleted || c.vault.deleted) {
      return ErrorType.NOT_FOUND;
    }
    return mustBeActive && c.archived ? ErrorType.CONFLICT : null;
  }

  /** Runs {@code call}, checking that it fails with {@code expected} or succeeds if null. */
  private static <T> Optional<T> expect(ErrorType expected, Supplier<T> call, String what) {
    try {
      T result = call.get();
      if (expected != null) {
        throw new AssertionError(what + ": expected " + expected.wireName() + " but it succeeded");
      }
      return Optional.ofNullable(result);
    } catch (VaultException e) {
      if (expected != e.type()) {
        throw new AssertionError(what + ": expected " + (expected == null ? "success"
            : expected.wireName()) + " but got " + e.type().wireName() + " (" + e.getMessage()
            + ")", e);
      }
      return Optional.empty();
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }

  // ---------------------------------------------------------------- applying a step

  private void apply(Run run, Op op) {
    if (op instanceof CreateVault c) {
      CreateVaultRequest.Builder b = CreateVaultRequest.builder()
          .displayName(NAMES.get(c.name()));
      List<String> urls = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int u : c.urls()) {
        if (keys.add(McpServerUrl.parse(URLS.get(u)).normalized())) {
          urls.add(URLS.get(u));
        }
      }
      List<String> tokens = new ArrayList<>();
      for (String url : urls) {
        String token = run.nextToken();
        tokens.add(token);
        b.addCredential(CreateCredentialRequest.builder().mcpServerUrl(url)
            .protocol(Protocol.SSE).accessToken(token).build());
      }
      if (urls.isEmpty()) {
        return; // an empty vault is refused by default; nothing to model
      }
      CreatedVault created = run.service.createVault(b.build());
      MVault v = new MVault(run.vaults.size());
      v.realId = created.vault().id();
      v.name = NAMES.get(c.name());
      run.vaults.add(v);
      check(created.credentials().size() == urls.size(), "credentials created with the vault");
      for (int i = 0; i < urls.size(); i++) {
        MCred m = new MCred();
        m.vault = v;
        m.realId = created.credentials().get(i).id();
        m.url = urls.get(i);
        m.key = McpServerUrl.parse(urls.get(i)).normalized();
        m.token = tokens.get(i);
        run.creds.add(m);
      }
    } else if (op instanceof AddCredential a) {
      MVault v = run.vault(a.vault());
      if (v == null) {
        return;
      }
      String url = URLS.get(a.url());
      String key = McpServerUrl.parse(url).normalized();
      ErrorType expected = expectVault(v, true);
      if (expected == null && run.activeIn(v, key) != null) {
        expected = ErrorType.CONFLICT;
      }
      String token = run.nextToken();
      Optional<Credential> created = expect(expected, () -> run.service.createCredential(
          v.realId, CreateCredentialRequest.builder().mcpServerUrl(url).protocol(Protocol.SSE)
              .accessToken(token).build()), "create credential " + url);
      created.ifPresent(c -> {
        MCred m = new MCred();
        m.vault = v;
        m.realId = c.id();
        m.url = url;
        m.key = key;
        m.token = token;
        run.creds.add(m);
      });
    } else if (op instanceof Rename r) {
      MVault v = run.vault(r.vault());
      if (v == null) {
        return;
      }
      String name = NAMES.get(r.name());
      String metaKey = "k" + r.metaKey();
      Optional<Vault> updated = expect(expectVault(v, true), () -> run.service.updateVault(
          v.realId, UpdateVaultRequest.builder().displayName(name)
              .putMetadata(metaKey, name).build()), "update");
      updated.ifPresent(u -> {
        v.name = name;
        v.metadata.put(metaKey, name);
        check(u.displayName().equals(name) && u.metadata().equals(v.metadata),
            "update returns the new state");
      });
    } else if (op instanceof ArchiveVault a) {
      MVault v = run.vault(a.vault());
      if (v == null) {
        return;
      }
      expect(expectVault(v, true), () -> run.service.archiveVault(v.realId), "archive vault")
          .ifPresent(x -> {
            v.archived = true;
            run.creds.stream().filter(c -> c.vault == v).forEach(c -> c.archived = true);
          });
    } else if (op instanceof DeleteVault d) {
      MVault v = run.vault(d.vault());
      if (v == null) {
        return;
      }
      expect(expectVault(v, false), () -> {
        run.service.deleteVault(v.realId);
        return Boolean.TRUE;
      }, "delete vault").ifPresent(x -> v.deleted = true);
    } else if (op instanceof ArchiveCredential a) {
      MCred c = run.cred(a.credential());
      if (c == null) {
        return;
      }
      expect(expectCredential(c, true), () -> run.service.archiveCredential(c.vault.realId,
          c.realId), "archive credential").ifPresent(x -> c.archived = true);
    } else if (op instanceof DeleteCredential d) {
      MCred c = run.cred(d.credential());
      if (c == null) {
        return;
      }
      expect(expectCredential(c, false), () -> {
        run.service.deleteCredential(c.vault.realId, c.realId);
        return Boolean.TRUE;
      }, "delete credential").ifPresent(x -> c.deleted = true);
    } else if (op instanceof Rotate r) {
      MCred c = run.cred(r.credential());
      if (c == null) {
        return;
      }
      String token = run.nextToken();
      expect(expectCredential(c, true), () -> run.service.rotateCredential(c.vault.realId,
          c.realId, Secret.of(token)), "rotate").ifPresent(fresh -> {
            c.archived = true;
            MCred m = new MCred();
            m.vault = c.vault;
            m.realId = fresh.id();
            m.url = c.url;
            m.key = c.key;
            m.token = token;
            run.creds.add(m);
          });
    } else if (op instanceof GetVault g) {
      MVault v = run.vault(g.vault());
      if (v == null) {
        return;
      }
      expect(expectVault(v, false), () -> run.service.getVault(v.realId), "get vault")
          .ifPresent(got -> check(got.displayName().equals(v.name)
              && got.status() == (v.archived ? Status.ARCHIVED : Status.ACTIVE)
              && got.metadata().equals(v.metadata), "get vault returns the model's vault"));
    } else if (op instanceof ListVaults l) {
      List<String> expected = new ArrayList<>();
      String name = l.byName() ? "prod" : null;
      for (int i = run.vaults.size() - 1; i >= 0; i--) {
        MVault v = run.vaults.get(i);
        if (!v.deleted && (l.includeArchived() || !v.archived)
            && (name == null || v.name.toLowerCase(java.util.Locale.ROOT).contains(name))) {
          expected.add(v.realId);
        }
      }
      List<String> walked = walk(p -> run.service.listVaults(p), l.limit(),
          l.includeArchived(), name).stream().map(Vault::id).toList();
      check(walked.equals(expected), "list vaults walks every matching vault once, in order: "
          + walked.size() + " walked, " + expected.size() + " expected");
    } else if (op instanceof ListCredentials l) {
      MVault v = run.vault(l.vault());
      if (v == null) {
        return;
      }
      if (v.deleted) {
        expect(ErrorType.NOT_FOUND, () -> run.service.listCredentials(v.realId, null),
            "list credentials of a deleted vault");
        return;
      }
      List<String> expected = new ArrayList<>();
      for (int i = run.creds.size() - 1; i >= 0; i--) {
        MCred c = run.creds.get(i);
        if (c.vault == v && !c.deleted && (l.includeArchived() || !c.archived)) {
          expected.add(c.realId);
        }
      }
      List<String> walked = walk(p -> run.service.listCredentials(v.realId, p), l.limit(),
          l.includeArchived(), null).stream().map(Credential::id).toList();
      check(walked.equals(expected), "list credentials walks every matching credential once, "
          + "in order");
    } else if (op instanceof Resolve r) {
      resolve(run, r);
    } else if (op instanceof RotateDataKey) {
      run.engine.keys().rotateDataKey();
    } else if (op instanceof Reencrypt) {
      run.engine.keys().reencrypt(7);
      check(run.engine.keys().status().tokensOnOlderKeys() == 0, "nothing left on old keys");
      run.engine.keys().disableRetiredKeys();
    } else if (op instanceof Reopen) {
      run.engine.close();
      // A restart takes at least a millisecond; ids from two generators in one millisecond are
      // ordered by their random bits, not by creation (docs/decisions.md).
      run.clock.advance(Duration.ofMillis(1));
      run.open();
    } else if (op instanceof Intrude i) {
      MVault v = run.vault(i.vault());
      if (v == null) {
        return;
      }
      VaultService other = run.engine.forAccount(OTHER);
      expect(ErrorType.NOT_FOUND, () -> other.getVault(v.realId), "another account's get");
      expect(ErrorType.NOT_FOUND, () -> other.archiveVault(v.realId),
          "another account's archive");
      check(other.listVaults(null).data().isEmpty(), "another account lists nothing");
    } else if (op instanceof Tick t) {
      run.clock.advance(Duration.ofSeconds(t.seconds()));
    }
  }

  private void resolve(Run run, Resolve r) {
    List<MVault> session = new ArrayList<>();
    for (int ref : r.vaults()) {
      MVault v = run.vault(ref);
      if (v != null && !session.contains(v)) {
        session.add(v);
      }
    }
    if (session.isEmpty()) {
      return;
    }
    // The first vault with a problem, in session order, decides the error.
    ErrorType expected = null;
    for (MVault v : session) {
      expected = expectVault(v, true);
      if (expected != null) {
        break;
      }
    }
    String url = URLS.get(r.url());
    if (r.variant() == 1) {
      url = url.replace("https://", "HTTPS://"); // normalization must not matter
    }
    String key = McpServerUrl.parse(url).normalized();
    MCred want = null;
    for (MVault v : session) {
      want = run.activeIn(v, key);
      if (want != null) {
        break;
      }
    }
    String finalUrl = url;
    MCred finalWant = want;
    expect(expected, () -> run.service.openSession(session.stream().map(v -> v.realId)
        .toList()), "open session").ifPresent(s -> {
          Optional<ResolvedCredential> got = s.resolve(finalUrl);
          if (finalWant == null) {
            check(got.isEmpty(), "resolve returns nothing when no active credential matches "
                + "(archived and deleted records never resolve)");
          } else {
            check(got.isPresent() && got.get().credentialId().equals(finalWant.realId),
                "resolve returns the first vault's active credential");
            check(got.get().accessToken().sameAs(Secret.of(finalWant.token)),
                "the resolved token equals the one written");
          }
        });
  }

  /** A page walker with after_id, checking each page's own consistency on the way. */
  private static <T> List<T> walk(ContractBase.Lister<T> lister, int limit,
      boolean includeArchived, String name) {
    List<T> out = new ArrayList<>();
    String after = null;
    for (int guard = 0; guard < 10_000; guard++) {
      Page<T> page = lister.list(ListRequest.builder().limit(limit).afterId(after)
          .includeArchived(includeArchived).name(name).build());
      check(page.data().size() <= limit, "a page holds at most limit records");
      out.addAll(page.data());
      if (!page.hasMore()) {
        return out;
      }
      check(!page.data().isEmpty(), "has_more on an empty page");
      after = page.lastId();
    }
    throw new AssertionError("pagination does not end");
  }

  /** Whole-state invariants, checked after every step. */
  private void invariants(Run run) {
    for (MVault v : run.vaults) {
      if (v.deleted) {
        expect(ErrorType.NOT_FOUND, () -> run.service.getVault(v.realId),
            "a deleted vault never reappears");
        continue;
      }
      List<Credential> all = walk(p -> run.service.listCredentials(v.realId, p), 100, true, null);
      Map<String, Integer> active = new HashMap<>();
      for (Credential c : all) {
        if (c.status() == Status.ACTIVE) {
          active.merge(McpServerUrl.parse(c.mcpServerUrl()).normalized(), 1, Integer::sum);
        }
      }
      check(active.values().stream().allMatch(n -> n == 1),
          "one active credential per vault and URL");
      Map<String, Status> expected = new LinkedHashMap<>();
      for (MCred c : run.creds) {
        if (c.vault == v && !c.deleted) {
          expected.put(c.realId, c.archived ? Status.ARCHIVED : Status.ACTIVE);
        }
      }
      Map<String, Status> actual = new LinkedHashMap<>();
      all.forEach(c -> actual.put(c.id(), c.status()));
      check(actual.equals(expected), "the vault's credentials match the model");
    }
  }

  // ---------------------------------------------------------------- running and shrinking

  /** Runs {@code ops} on a fresh store; returns the failure, or null. */
  AssertionError runSequence(long seed, List<Op> ops) {
    Run run = new Run(stores.fresh(), seed);
    try {
      for (Op op : ops) {
        run.step++;
        apply(run, op);
        invariants(run);
      }
      return null;
    } catch (AssertionError e) {
      return new AssertionError("step " + run.step + " " + ops.get(run.step - 1) + ": "
          + e.getMessage(), e);
    } catch (VaultException e) {
      return new AssertionError("step " + run.step + " " + ops.get(run.step - 1)
          + ": unexpected " + e, e);
    } finally {
      run.close();
    }
  }

  /** Drops steps while the sequence still fails: chunks first, then single steps. */
  List<Op> shrink(long seed, List<Op> failing) {
    List<Op> current = new ArrayList<>(failing);
    for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
      boolean removed = true;
      while (removed) {
        removed = false;
        for (int from = 0; from + chunk <= current.size(); from += chunk) {
          List<Op> candidate = new ArrayList<>(current.subList(0, from));
          candidate.addAll(current.subList(from + chunk, current.size()));
          if (!candidate.isEmpty() && runSequence(seed, candidate) != null) {
            current = candidate;
            removed = true;
            break;
          }
        }
      }
      if (chunk == 1) {
        break;
      }
    }
    return current;
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
      List<Op> ops = generate(seed);
      operations += ops.size();
      AssertionError failure = runSequence(seed, ops);
      if (failure != null) {
        List<Op> shrunk = shrink(seed, ops);
        AssertionError again = runSequence(seed, shrunk);
        throw new ShrunkFailure(seed, ops.size(), shrunk, again != null ? again : failure);
      }
    }
    return new Report(count, operations, replay != null ? replay : firstSeed);
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
