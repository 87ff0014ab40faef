package dev.vaultengine.testkit;

import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.ErrorType;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Page;
import dev.vaultengine.Status;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.VaultStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One model-based sequence being run: the engine over a store from the fixture (reopened when a
 * step asks), the {@link ReferenceModel} beside it, and the checks the operations share: the
 * expected outcome of a call, the fields of a credential, the stored secrets, and the whole-state
 * invariants checked after every step.
 */
final class ModelRun implements AutoCloseable {
  /** The account every sequence works in. */
  static final String ACCOUNT = "model";
  /** An account that must never see {@link #ACCOUNT}'s records. */
  static final String OTHER = "intruder";

  final StoreFixture.Data data;
  final MutableClock clock = new MutableClock(Instant.parse("2026-05-18T15:34:16Z"));
  final KeyEncryptionKey kek = TestKeys.randomKek();
  final ReferenceModel model = new ReferenceModel();
  final long seed;
  private final SecretLeakGuard guard;
  private final Map<String, Long> tally;
  VaultStore store;
  VaultEngine engine;
  VaultService service;
  int tokens;
  int step;
  int opened;

  /**
   * A run of the sequence of {@code seed} on {@code data}; new secrets are registered with
   * {@code guard} (may be null), and every counted outcome goes into {@code tally}.
   */
  ModelRun(StoreFixture.Data data, long seed, SecretLeakGuard guard, Map<String, Long> tally) {
    this.data = data;
    this.seed = seed;
    this.guard = guard;
    this.tally = tally;
    open();
  }

  /** Opens the engine, on the store's first opening or, after a close, on a reopening. */
  void open() {
    // A restarted process draws fresh random bits: a new id stream per opening.
    store = opened == 0 ? data.open() : data.reopen();
    engine = VaultEngine.builder().store(store).keyEncryptionKey(kek).clock(clock)
        .idGenerator(IdGenerator.uuidV7(clock, seed * 31 + opened++)).build();
    service = engine.forAccount(ACCOUNT);
  }

  @Override
  public void close() {
    try {
      if (engine != null) {
        engine.close();
      }
    } finally {
      data.dispose();
    }
  }

  /** A new secret of the kind {@code prefix} names ({@code tok}, {@code at}, ...). */
  String nextSecret(String prefix) {
    String s = prefix + "_model_" + seed + "_" + (tokens++);
    if (guard != null) {
      guard.token(s);
    }
    return s;
  }

  /** A new credential of {@code spec} for {@code v}; see {@link ReferenceModel#newCredential}. */
  ReferenceModel.ModelCredential newCredential(ReferenceModel.ModelVault v, int spec,
      int variant) {
    return ReferenceModel.newCredential(v, spec, variant, this::nextSecret, clock.peek());
  }

  /** Counts one outcome of a kind of step, such as {@code "rotate mcp_oauth -> ok"}. */
  void count(String what) {
    tally.merge(what, 1L, Long::sum);
  }

  /** The name of an expected outcome: {@code ok} or the error's wire name. */
  static String outcome(ErrorType expected) {
    return expected == null ? "ok" : expected.wireName();
  }

  /** Fails with {@code what} unless {@code condition} holds. */
  static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }

  /** Runs {@code call}, checking that it fails with {@code expected} or succeeds if null. */
  static <T> Optional<T> expect(ErrorType expected, Supplier<T> call, String what) {
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

  /** The API's credential shows the model's non-secret fields. */
  static void checkCredential(Credential c, ReferenceModel.ModelCredential m, String what) {
    check(c.id().equals(m.realId), what + ": id");
    check(c.kind().equals(m.kind()), what + ": kind and its fields (" + c.kind() + " vs model "
        + m.kind() + ")");
    check(c.displayName().equals(Optional.ofNullable(m.displayName)), what + ": display_name");
    check(c.metadata().equals(m.metadata), what + ": metadata");
    check(c.status() == (m.archived ? Status.ARCHIVED : Status.ACTIVE), what + ": status");
  }

  /** Every live credential's stored secrets equal the model's, field by field. */
  void checkSecrets() {
    StoredSecrets ss = StoredSecrets.of(store, kek);
    for (ReferenceModel.ModelCredential m : model.creds) {
      if (m.deleted || m.vault.deleted) {
        continue;
      }
      CredentialRow row = store.findCredential(ACCOUNT, m.vault.realId, m.realId).orElse(null);
      check(row != null, "a credential the model holds is stored");
      if (m.archived) {
        check(row.secrets() == null, "an archived credential keeps no secret");
        continue;
      }
      String what = " of " + m.type.wireName() + " " + m.realId + " equals the model's";
      count("secrets checked of " + m.type.wireName());
      check(Objects.equals(m.token, ss.read(row, StoredSecrets.Field.primary(m.type))),
          "the stored primary secret" + what);
      check(Objects.equals(m.refreshToken, ss.read(row, StoredSecrets.Field.REFRESH_TOKEN)),
          "the stored refresh token" + what);
      check(Objects.equals(m.clientSecret, ss.read(row, StoredSecrets.Field.CLIENT_SECRET)),
          "the stored client secret" + what);
    }
  }

  /** A page walker with after_id, checking each page's own consistency on the way. */
  static <T> List<T> walk(ContractBase.Lister<T> lister, int limit, boolean includeArchived,
      String name) {
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
  void invariants() {
    for (ReferenceModel.ModelVault v : model.vaults) {
      if (v.deleted) {
        expect(ErrorType.NOT_FOUND, () -> service.getVault(v.realId),
            "a deleted vault never reappears");
        continue;
      }
      List<Credential> all = walk(p -> service.listCredentials(v.realId, p), 100, true, null);
      Map<String, Integer> active = new HashMap<>();
      for (Credential c : all) {
        if (c.status() == Status.ACTIVE) {
          String key = c.kind() instanceof CredentialKind.EnvironmentVariable e
              ? "env:" + e.secretName() : McpServerUrl.parse(c.mcpServerUrl()).normalized();
          active.merge(key, 1, Integer::sum);
        }
      }
      check(active.values().stream().allMatch(n -> n == 1),
          "one active credential per vault and URL (whatever the MCP kind) or secret name");
      Map<String, Status> expected = new LinkedHashMap<>();
      for (ReferenceModel.ModelCredential c : model.creds) {
        if (c.vault == v && !c.deleted) {
          expected.put(c.realId, c.archived ? Status.ARCHIVED : Status.ACTIVE);
        }
      }
      Map<String, Status> actual = new LinkedHashMap<>();
      all.forEach(c -> actual.put(c.id(), c.status()));
      check(actual.equals(expected), "the vault's credentials match the model");
      for (Credential c : all) {
        ReferenceModel.ModelCredential m = model.byId.get(c.id());
        check(m != null, "a listed credential is one the model knows");
        checkCredential(c, m, "a listed credential shows the model's fields");
      }
    }
  }
}
