package dev.vaultengine.testkit;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Page;
import dev.vaultengine.Protocol;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.VaultStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

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

  private static final int MAX_STEPS = 40;
  private static final String ACCOUNT = "model";
  private static final String OTHER = "intruder";

  private final StoreFixture stores;
  private final Map<String, Long> tally = new TreeMap<>();
  private SecretLeakGuard guard;

  /** A harness over {@code stores}. */
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

  // ---------------------------------------------------------------- operations

  /** One step. References pick among records created so far, modulo their number. */
  sealed interface Op permits CreateVault, AddCredential, Rename, ArchiveVault, DeleteVault,
      ArchiveCredential, DeleteCredential, Rotate, UpdateCredential, GetVault, ListVaults,
      ListCredentials, Resolve, Environment, CheckSecrets, RotateDataKey, Reencrypt, Reopen,
      Intrude, Tick {}

  /** A vault with one credential per spec (see {@link #SPECS}), duplicates of a key dropped. */
  record CreateVault(int name, List<Integer> specs, int variant) implements Op {}

  record AddCredential(int vault, int spec, int variant) implements Op {}

  record Rename(int vault, int name, int metaKey) implements Op {}

  record ArchiveVault(int vault) implements Op {}

  record DeleteVault(int vault) implements Op {}

  record ArchiveCredential(int credential) implements Op {}

  record DeleteCredential(int credential) implements Op {}

  record Rotate(int credential) implements Op {}

  /** An update of one field chosen by {@code what} (see {@link #update}), valid or refused. */
  record UpdateCredential(int credential, int what, int value) implements Op {}

  record GetVault(int vault) implements Op {}

  record ListVaults(int limit, boolean includeArchived, boolean byName) implements Op {}

  record ListCredentials(int vault, int limit, boolean includeArchived) implements Op {}

  record Resolve(List<Integer> vaults, int url, int variant) implements Op {}

  /** A session's environment, and the substitution of one placeholder toward one host. */
  record Environment(List<Integer> vaults, int name, int host) implements Op {}

  /** Every stored secret compared with the model's, read with the stored format. */
  record CheckSecrets() implements Op {}

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
  private static final List<String> SECRET_NAMES = List.of("API_KEY", "api_key", "TOKEN_2",
      "_X");
  private static final List<String> HOSTS = List.of("api.example.com", "x.api.example.com",
      "example.com", "10.0.0.1", "evil.example.net", "api.example.com.evil.net");
  private static final List<Networking> NETWORKINGS = List.of(Networking.unrestricted(),
      Networking.limited(List.of("api.example.com")),
      Networking.limited(List.of("*.example.com")),
      Networking.limited(List.of("10.0.0.1", "EVIL.example.net")));
  private static final List<InjectionLocation> INJECTIONS = List.of(
      new InjectionLocation(true, true), new InjectionLocation(true, false),
      new InjectionLocation(false, true));
  private static final String TOKEN_ENDPOINT = "https://auth.example/oauth/token";
  private static final String CLIENT_ID = "model-client";
  private static final String HEADER = "X-Api-Key";

  /**
   * The credentials a step can create: a {@code static_bearer} per URL, an {@code mcp_oauth} per
   * URL, an {@code environment_variable} per secret name; the step's variant chooses the rest.
   */
  private static final int SPECS = 2 * URLS.size() + SECRET_NAMES.size();

  /** Kinds of update; see {@link #update}. */
  private static final List<String> UPDATE_NAMES = List.of("primary secret", "refresh_token",
      "client_secret", "metadata", "display_name", "expires_at", "networking",
      "injection_location", "locked field", "another type", "method none", "refresh null",
      "protocol");
  private static final int UPDATE_KINDS = UPDATE_NAMES.size();

  static List<Op> generate(long seed) {
    Random r = new Random(seed);
    int steps = 5 + r.nextInt(MAX_STEPS - 5);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      int k = r.nextInt(100);
      Op op;
      if (k < 12) {
        List<Integer> specs = new ArrayList<>();
        for (int n = r.nextInt(3); n >= 0; n--) {
          specs.add(r.nextInt(SPECS));
        }
        op = new CreateVault(r.nextInt(NAMES.size()), specs, r.nextInt(1000));
      } else if (k < 22) {
        op = new AddCredential(r.nextInt(64), r.nextInt(SPECS), r.nextInt(1000));
      } else if (k < 26) {
        op = new Rename(r.nextInt(64), r.nextInt(NAMES.size()), r.nextInt(3));
      } else if (k < 30) {
        op = new ArchiveVault(r.nextInt(64));
      } else if (k < 33) {
        op = new DeleteVault(r.nextInt(64));
      } else if (k < 38) {
        op = new ArchiveCredential(r.nextInt(64));
      } else if (k < 41) {
        op = new DeleteCredential(r.nextInt(64));
      } else if (k < 47) {
        op = new Rotate(r.nextInt(64));
      } else if (k < 58) {
        // Two in three updates pick a field of the credential's own kind (see update).
        op = new UpdateCredential(r.nextInt(64), r.nextInt(3 * UPDATE_KINDS), r.nextInt(1000));
      } else if (k < 61) {
        op = new GetVault(r.nextInt(64));
      } else if (k < 65) {
        op = new ListVaults(1 + r.nextInt(4), r.nextBoolean(), r.nextInt(4) == 0);
      } else if (k < 69) {
        op = new ListCredentials(r.nextInt(64), 1 + r.nextInt(3), r.nextBoolean());
      } else if (k < 77) {
        op = new Resolve(vaultRefs(r), r.nextInt(2 * URLS.size()), r.nextInt(2));
      } else if (k < 85) {
        op = new Environment(vaultRefs(r), r.nextInt(2 * SECRET_NAMES.size()),
            r.nextInt(HOSTS.size()));
      } else if (k < 87) {
        op = new CheckSecrets();
      } else if (k < 90) {
        op = new RotateDataKey();
      } else if (k < 92) {
        op = new Reencrypt();
      } else if (k < 95) {
        op = new Reopen();
      } else if (k < 97) {
        op = new Intrude(r.nextInt(64));
      } else {
        op = new Tick(1 + r.nextInt(5));
      }
      ops.add(op);
    }
    return ops;
  }

  private static List<Integer> vaultRefs(Random r) {
    List<Integer> vaults = new ArrayList<>();
    for (int n = r.nextInt(3); n >= 0; n--) {
      vaults.add(r.nextInt(64));
    }
    return vaults;
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

  /** A credential as the model knows it: every field, secrets included. */
  private static final class MCred {
    MVault vault;
    String realId;
    CredentialType type;
    /** The identity key: the normalized URL, or {@code env:} and the secret name. */
    String key;
    String url;
    Protocol protocol;
    Instant expiresAt;
    /** The refresh grant's method, or null when there is no grant. */
    TokenEndpointAuthMethod method;
    String scope;
    String name;
    Networking networking;
    InjectionLocation injection;
    String displayName;
    Map<String, String> metadata = new HashMap<>();
    /** The primary secret: the access token, or the secret value. */
    String token;
    String refreshToken;
    String clientSecret;
    boolean archived;
    boolean deleted;

    /** A copy with a new id and primary secret, as rotation makes it. */
    MCred rotated(String id, String newToken) {
      MCred m = new MCred();
      m.vault = vault;
      m.realId = id;
      m.type = type;
      m.key = key;
      m.url = url;
      m.protocol = protocol;
      m.expiresAt = null; // the old token's expiry is not the new token's
      m.method = method;
      m.scope = scope;
      m.name = name;
      m.networking = networking;
      m.injection = injection;
      m.displayName = displayName;
      m.metadata = new HashMap<>(metadata);
      m.token = newToken;
      m.refreshToken = refreshToken;
      m.clientSecret = clientSecret;
      return m;
    }

    /** The kind the API must show. */
    CredentialKind kind() {
      if (type == CredentialType.STATIC_BEARER) {
        return new CredentialKind.StaticBearer(url, protocol);
      }
      if (type == CredentialType.MCP_OAUTH) {
        return new CredentialKind.McpOAuth(url, protocol, Optional.ofNullable(expiresAt),
            method == null ? Optional.empty() : Optional.of(new OAuthRefresh(TOKEN_ENDPOINT,
                CLIENT_ID, Optional.ofNullable(scope), Optional.empty(), method)));
      }
      return new CredentialKind.EnvironmentVariable(name, networking, injection);
    }

    /** The request that creates this credential. */
    CreateCredentialRequest request() {
      CreateCredentialRequest.Builder b = CreateCredentialRequest.builder().type(type)
          .displayName(displayName).metadata(metadata.isEmpty() ? null : metadata);
      if (type == CredentialType.ENVIRONMENT_VARIABLE) {
        return b.secretName(name).secretValue(Secret.of(token)).networking(networking)
            .injectionLocation(injection).build();
      }
      b.mcpServerUrl(url).protocol(protocol).accessToken(token);
      if (type == CredentialType.MCP_OAUTH) {
        b.expiresAt(expiresAt);
        if (method != null) {
          b.refresh(new OAuthRefreshRequest(TOKEN_ENDPOINT, CLIENT_ID, scope, null,
              Secret.of(refreshToken), new TokenEndpointAuth(method,
                  clientSecret == null ? null : Secret.of(clientSecret))));
        }
      }
      return b.build();
    }
  }

  /** One sequence being run against one store, with its model. */
  private final class Run implements AutoCloseable {
    final StoreFixture.Data reopenable;
    final MutableClock clock = new MutableClock(Instant.parse("2026-05-18T15:34:16Z"));
    final KeyEncryptionKey kek = TestKeys.randomKek();
    final List<MVault> vaults = new ArrayList<>();
    final List<MCred> creds = new ArrayList<>();
    final Map<String, MCred> byId = new HashMap<>();
    final long seed;
    VaultStore store;
    VaultEngine engine;
    VaultService service;
    int tokens;
    int step;
    int opened;

    Run(StoreFixture.Data reopenable, long seed) {
      this.reopenable = reopenable;
      this.seed = seed;
      open();
    }

    void open() {
      // A restarted process draws fresh random bits: a new id stream per opening.
      store = opened == 0 ? reopenable.open() : reopenable.reopen();
      engine = VaultEngine.builder().store(store).keyEncryptionKey(kek).clock(clock)
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

    /** A new secret of the kind {@code prefix} names ({@code tok}, {@code at}, ...). */
    String nextSecret(String prefix) {
      String s = prefix + "_model_" + seed + "_" + (tokens++);
      if (guard != null) {
        guard.token(s);
      }
      return s;
    }

    void add(MCred m) {
      creds.add(m);
      byId.put(m.realId, m);
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

    /** A credential of {@code spec} for vault {@code v}, its other fields from {@code variant}. */
    MCred newCred(MVault v, int spec, int variant) {
      MCred m = new MCred();
      m.vault = v;
      if (spec < 2 * URLS.size()) {
        m.type = spec < URLS.size() ? CredentialType.STATIC_BEARER : CredentialType.MCP_OAUTH;
        m.url = URLS.get(spec % URLS.size());
        m.key = McpServerUrl.parse(m.url).normalized();
        m.protocol = variant % 2 == 0 ? Protocol.SSE : Protocol.STREAMABLE_HTTP;
        if (m.type == CredentialType.STATIC_BEARER) {
          m.token = nextSecret("tok");
        } else {
          m.token = nextSecret("at");
          m.expiresAt = variant % 3 == 0 ? null : clock.peek().plus(Duration.ofDays(1 + variant % 5));
          int grant = variant % 4;
          if (grant > 0) {
            m.method = TokenEndpointAuthMethod.values()[grant - 1];
            m.scope = variant % 8 < 4 ? "read write" : null;
            m.refreshToken = nextSecret("rt");
            m.clientSecret = m.method.needsSecret() ? nextSecret("cs") : null;
          }
        }
      } else {
        m.type = CredentialType.ENVIRONMENT_VARIABLE;
        m.name = SECRET_NAMES.get(spec - 2 * URLS.size());
        m.key = "env:" + m.name;
        m.token = nextSecret("sv");
        m.networking = NETWORKINGS.get(variant % NETWORKINGS.size());
        m.injection = INJECTIONS.get(variant % INJECTIONS.size());
      }
      m.displayName = variant % 5 == 0 ? "cred " + variant : null;
      if (variant % 7 == 0) {
        m.metadata.put("m", "v" + variant);
      }
      return m;
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

  private void count(String what) {
    tally.merge(what, 1L, Long::sum);
  }

  private static String outcome(ErrorType expected) {
    return expected == null ? "ok" : expected.wireName();
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }

  /** The API's credential shows the model's non-secret fields. */
  private static void checkCredential(Credential c, MCred m, String what) {
    check(c.id().equals(m.realId), what + ": id");
    check(c.kind().equals(m.kind()), what + ": kind and its fields (" + c.kind() + " vs model "
        + m.kind() + ")");
    check(c.displayName().equals(Optional.ofNullable(m.displayName)), what + ": display_name");
    check(c.metadata().equals(m.metadata), what + ": metadata");
    check(c.status() == (m.archived ? Status.ARCHIVED : Status.ACTIVE), what + ": status");
  }

  // ---------------------------------------------------------------- applying a step

  private void apply(Run run, Op op) {
    if (op instanceof CreateVault c) {
      CreateVaultRequest.Builder b = CreateVaultRequest.builder()
          .displayName(NAMES.get(c.name()));
      MVault v = new MVault(run.vaults.size());
      List<MCred> planned = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < c.specs().size(); i++) {
        MCred m = run.newCred(v, c.specs().get(i), c.variant() + i);
        if (keys.add(m.key)) {
          planned.add(m);
          b.addCredential(m.request());
        }
      }
      CreatedVault created = run.service.createVault(b.build());
      v.realId = created.vault().id();
      v.name = NAMES.get(c.name());
      run.vaults.add(v);
      check(created.credentials().size() == planned.size(), "credentials created with the vault");
      for (int i = 0; i < planned.size(); i++) {
        MCred m = planned.get(i);
        m.realId = created.credentials().get(i).id();
        checkCredential(created.credentials().get(i), m, "create vault returns the credential");
        run.add(m);
        count("create " + m.type.wireName() + " -> ok");
      }
    } else if (op instanceof AddCredential a) {
      MVault v = run.vault(a.vault());
      if (v == null) {
        return;
      }
      MCred m = run.newCred(v, a.spec(), a.variant());
      ErrorType expected = expectVault(v, true);
      if (expected == null && run.activeIn(v, m.key) != null) {
        expected = ErrorType.CONFLICT;
      }
      count("create " + m.type.wireName() + " -> " + outcome(expected));
      Optional<Credential> created = expect(expected, () -> run.service.createCredential(
          v.realId, m.request()), "create " + m.type.wireName() + " " + m.key);
      created.ifPresent(c -> {
        m.realId = c.id();
        checkCredential(c, m, "create credential returns it");
        run.add(m);
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
      count("archive " + c.type.wireName() + " -> " + outcome(expectCredential(c, true)));
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
      String token = run.nextSecret(c.type == CredentialType.ENVIRONMENT_VARIABLE ? "sv"
          : c.type == CredentialType.MCP_OAUTH ? "at" : "tok");
      count("rotate " + c.type.wireName() + " -> " + outcome(expectCredential(c, true)));
      expect(expectCredential(c, true), () -> run.service.rotateCredential(c.vault.realId,
          c.realId, Secret.of(token)), "rotate " + c.type.wireName()).ifPresent(fresh -> {
            c.archived = true;
            MCred m = c.rotated(fresh.id(), token);
            checkCredential(fresh, m,
                "rotate returns the replacement with every field kept but the old expiry");
            run.add(m);
          });
    } else if (op instanceof UpdateCredential u) {
      update(run, u);
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
            && (name == null || v.name.toLowerCase(Locale.ROOT).contains(name))) {
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
    } else if (op instanceof Environment e) {
      environment(run, e);
    } else if (op instanceof CheckSecrets) {
      checkSecrets(run);
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
      for (MCred c : run.creds) {
        if (c.vault == v) {
          expect(ErrorType.NOT_FOUND, () -> other.updateCredential(v.realId, c.realId,
              UpdateCredentialRequest.builder(c.type).displayName("intruder").build()),
              "another account's update");
          break;
        }
      }
      check(other.listVaults(null).data().isEmpty(), "another account lists nothing");
    } else if (op instanceof Tick t) {
      run.clock.advance(Duration.ofSeconds(t.seconds()));
    }
  }

  /**
   * One update of credential {@code u.credential()}, of the field {@code u.what()} chooses (past
   * the 13 below, one of the credential's own kind):
   * 0 the primary secret, 1 the refresh token, 2 the client secret (with a secret method),
   * 3 a metadata key set or removed, 4 the display name set or cleared, 5 expires_at set or
   * cleared, 6 networking, 7 injection_location, 8 a locked field (refused), 9 another type
   * (refused), 10 the method {@code none} (the client secret goes), 11 {@code refresh: null}
   * (the grant goes), 12 the protocol. A field of another kind is refused before any read; a
   * refresh patch of a credential without a grant and another type after the read.
   */
  private void update(Run run, UpdateCredential u) {
    MCred m = run.cred(u.credential());
    if (m == null) {
      return;
    }
    CredentialType t = m.type;
    boolean oauth = t == CredentialType.MCP_OAUTH;
    boolean env = t == CredentialType.ENVIRONMENT_VARIABLE;
    int value = u.value();
    int what = u.what();
    if (what >= UPDATE_KINDS) {
      List<Integer> own = env ? List.of(0, 3, 4, 6, 7) : oauth
          ? List.of(0, 1, 2, 3, 4, 5, 10, 11, 12) : List.of(0, 3, 4, 12);
      what = own.get(what % own.size());
    }
    UpdateCredentialRequest.Builder b = UpdateCredentialRequest.builder(t);
    boolean refusedBeforeRead = false;
    boolean refusedAfterRead = false;
    Runnable applied;
    switch (what) {
      case 0 -> {
        String s = run.nextSecret(env ? "sv" : oauth ? "at" : "tok");
        if (env) {
          b.secretValue(Secret.of(s));
        } else {
          b.accessToken(s);
        }
        applied = () -> m.token = s;
      }
      case 1 -> {
        String s = run.nextSecret("rt");
        b.refresh(RefreshPatch.empty().withRefreshToken(Secret.of(s)));
        refusedBeforeRead = !oauth;
        refusedAfterRead = m.method == null;
        applied = () -> m.refreshToken = s;
      }
      case 2 -> {
        String s = run.nextSecret("cs");
        TokenEndpointAuthMethod method = value % 2 == 0
            ? TokenEndpointAuthMethod.CLIENT_SECRET_BASIC : TokenEndpointAuthMethod.CLIENT_SECRET_POST;
        b.refresh(RefreshPatch.empty().withTokenEndpointAuth(
            new TokenEndpointAuth(method, Secret.of(s))));
        refusedBeforeRead = !oauth;
        refusedAfterRead = m.method == null;
        applied = () -> {
          m.method = method;
          m.clientSecret = s;
        };
      }
      case 3 -> {
        String key = "k" + value % 3;
        String v = value % 2 == 0 ? null : "v" + value;
        if (v == null) {
          b.removeMetadata(key);
        } else {
          b.putMetadata(key, v);
        }
        applied = () -> {
          if (v == null) {
            m.metadata.remove(key);
          } else {
            m.metadata.put(key, v);
          }
        };
      }
      case 4 -> {
        String name = value % 3 == 0 ? null : NAMES.get(value % NAMES.size());
        b.displayName(name);
        applied = () -> m.displayName = name;
      }
      case 5 -> {
        Instant at = value % 2 == 0 ? null : run.clock.peek().plus(Duration.ofHours(1 + value % 48));
        b.expiresAt(at);
        refusedBeforeRead = !oauth;
        applied = () -> m.expiresAt = at;
      }
      case 6 -> {
        Networking n = NETWORKINGS.get(value % NETWORKINGS.size());
        b.networking(n);
        refusedBeforeRead = !env;
        applied = () -> m.networking = n;
      }
      case 7 -> {
        InjectionLocation l = INJECTIONS.get(value % INJECTIONS.size());
        b.injectionLocation(l);
        refusedBeforeRead = !env;
        applied = () -> m.injection = l;
      }
      case 8 -> {
        if (env) {
          b.secretName(m.name);
        } else {
          b.mcpServerUrl(m.url);
        }
        refusedBeforeRead = true;
        applied = () -> { };
      }
      case 9 -> {
        CredentialType other = CredentialType.values()[(t.ordinal() + 1 + value % 2) % 3];
        b = UpdateCredentialRequest.builder(other).displayName("another type");
        refusedAfterRead = true;
        applied = () -> { };
      }
      case 10 -> {
        b.refresh(RefreshPatch.empty().withTokenEndpointAuth(TokenEndpointAuth.none()));
        refusedBeforeRead = !oauth;
        refusedAfterRead = m.method == null;
        applied = () -> {
          m.method = TokenEndpointAuthMethod.NONE;
          m.clientSecret = null;
        };
      }
      case 11 -> {
        b.refresh(null);
        refusedBeforeRead = !oauth;
        applied = () -> {
          m.method = null;
          m.scope = null;
          m.refreshToken = null;
          m.clientSecret = null;
        };
      }
      default -> {
        Protocol p = value % 2 == 0 ? Protocol.SSE : Protocol.STREAMABLE_HTTP;
        b.protocol(p);
        refusedBeforeRead = env;
        applied = () -> m.protocol = p;
      }
    }
    ErrorType expected = refusedBeforeRead ? ErrorType.INVALID_REQUEST : expectCredential(m, true);
    if (expected == null && refusedAfterRead) {
      expected = ErrorType.INVALID_REQUEST;
    }
    UpdateCredentialRequest request = b.build();
    count("update " + t.wireName() + " " + UPDATE_NAMES.get(what) + " -> "
        + outcome(expected));
    expect(expected, () -> run.service.updateCredential(m.vault.realId, m.realId, request),
        "update " + t.wireName() + " " + UPDATE_NAMES.get(what)).ifPresent(c -> {
          applied.run();
          checkCredential(c, m, "update returns the credential as patched");
        });
  }

  private void resolve(Run run, Resolve r) {
    List<MVault> session = sessionOf(run, r.vaults());
    if (session.isEmpty()) {
      return;
    }
    ErrorType expected = sessionError(session);
    String url = URLS.get(r.url() % URLS.size());
    if (r.url() >= URLS.size()) { // the URL of a credential of the session's vaults, if any
      List<MCred> mcp = run.creds.stream().filter(c -> session.contains(c.vault)
          && c.type != CredentialType.ENVIRONMENT_VARIABLE).toList();
      if (!mcp.isEmpty()) {
        url = mcp.get(r.url() % mcp.size()).url;
      }
    }
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
          count("resolve " + (finalWant == null ? "nothing" : finalWant.type.wireName()));
          if (finalWant == null) {
            check(got.isEmpty(), "resolve returns nothing when no active credential matches "
                + "(archived and deleted records never resolve)");
          } else {
            check(got.isPresent() && got.get().credentialId().equals(finalWant.realId),
                "resolve returns the first vault's active credential, whatever its kind");
            check(got.get().accessToken().sameAs(Secret.of(finalWant.token)),
                "the resolved token equals the one written");
          }
        });
  }

  private static List<MVault> sessionOf(Run run, List<Integer> refs) {
    List<MVault> session = new ArrayList<>();
    for (int ref : refs) {
      MVault v = run.vault(ref);
      if (v != null && !session.contains(v)) {
        session.add(v);
      }
    }
    return session;
  }

  /** The first vault with a problem, in session order, decides the error. */
  private static ErrorType sessionError(List<MVault> session) {
    for (MVault v : session) {
      ErrorType e = expectVault(v, true);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /** Whether the model's {@code networking} lets a value go to {@code host}. */
  private static boolean allows(Networking networking, String host) {
    if (networking instanceof Networking.Unrestricted) {
      return true;
    }
    for (String entry : ((Networking.Limited) networking).allowedHosts()) {
      String e = entry.toLowerCase(Locale.ROOT);
      if (e.startsWith("*.") ? host.endsWith(e.substring(1)) && host.length() > e.length() - 1
          : host.equals(e)) {
        return true;
      }
    }
    return false;
  }

  private void environment(Run run, Environment e) {
    List<MVault> session = sessionOf(run, e.vaults());
    if (session.isEmpty()) {
      return;
    }
    Map<String, MCred> expected = new TreeMap<>();
    for (MVault v : session) {
      for (MCred c : run.creds) {
        if (c.vault == v && c.type == CredentialType.ENVIRONMENT_VARIABLE && !c.archived
            && !c.deleted) {
          expected.putIfAbsent(c.name, c); // the first vault in session order wins
        }
      }
    }
    expect(sessionError(session), () -> run.service.openSession(session.stream()
        .map(v -> v.realId).toList()), "open session").ifPresent(s -> {
          Map<String, String> environment = s.environment();
          check(environment.keySet().equals(expected.keySet()),
              "the environment names the active variables of the session's vaults: "
                  + environment.keySet() + " vs model " + expected.keySet());
          check(environment.values().stream().allMatch(p -> p.matches("vaultenv_[0-9a-f]{32}"))
              && new HashSet<>(environment.values()).size() == environment.size(),
              "placeholders are opaque and distinct");
          String name = SECRET_NAMES.get(e.name() % SECRET_NAMES.size());
          if (e.name() >= SECRET_NAMES.size() && !expected.isEmpty()) {
            name = new ArrayList<>(expected.keySet()).get(e.name() % expected.size());
          }
          MCred want = expected.get(name);
          if (want == null) {
            return;
          }
          substitution(s, environment.get(name), want, HOSTS.get(e.host()));
        });
  }

  /** A request to {@code host} with {@code placeholder} in a header and the body, substituted. */
  private void substitution(VaultSession s, String placeholder, MCred want, String host) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + "/v1/call"))
        .header(HEADER, "Bearer " + placeholder)
        .POST(HttpRequest.BodyPublishers.ofString("v=" + placeholder + "&x=1")).build();
    HttpRequest out = s.substitute(request);
    boolean allowed = allows(want.networking, host);
    count("substitute " + (allowed ? "to an allowed host" : "to another host"));
    String header = allowed && want.injection.header() ? want.token : placeholder;
    String body = allowed && want.injection.body() ? want.token : placeholder;
    check(Objects.equals(out.headers().firstValue(HEADER).orElse(null), "Bearer " + header),
        "the header is substituted exactly where the model allows (" + host + ", "
            + want.networking + ", " + want.injection + ")");
    check(CredentialKindsContract.body(out).equals("v=" + body + "&x=1"),
        "the body is substituted exactly where the model allows (" + host + ", "
            + want.networking + ", " + want.injection + ")");
  }

  /** Every live credential's stored secrets equal the model's, field by field. */
  private void checkSecrets(Run run) {
    StoredSecrets ss = StoredSecrets.of(run.store, run.kek);
    for (MCred m : run.creds) {
      if (m.deleted || m.vault.deleted) {
        continue;
      }
      CredentialRow row = run.store.findCredential(ACCOUNT, m.vault.realId, m.realId)
          .orElse(null);
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
          String key = c.kind() instanceof CredentialKind.EnvironmentVariable e
              ? "env:" + e.secretName() : McpServerUrl.parse(c.mcpServerUrl()).normalized();
          active.merge(key, 1, Integer::sum);
        }
      }
      check(active.values().stream().allMatch(n -> n == 1),
          "one active credential per vault and URL (whatever the MCP kind) or secret name");
      Map<String, Status> expected = new LinkedHashMap<>();
      for (MCred c : run.creds) {
        if (c.vault == v && !c.deleted) {
          expected.put(c.realId, c.archived ? Status.ARCHIVED : Status.ACTIVE);
        }
      }
      Map<String, Status> actual = new LinkedHashMap<>();
      all.forEach(c -> actual.put(c.id(), c.status()));
      check(actual.equals(expected), "the vault's credentials match the model");
      for (Credential c : all) {
        MCred m = run.byId.get(c.id());
        check(m != null, "a listed credential is one the model knows");
        checkCredential(c, m, "a listed credential shows the model's fields");
      }
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
      run.step++;
      checkSecrets(run);
      return null;
    } catch (AssertionError e) {
      return new AssertionError(where(run, ops) + ": " + e.getMessage(), e);
    } catch (VaultException e) {
      return new AssertionError(where(run, ops) + ": unexpected " + e, e);
    } finally {
      run.close();
    }
  }

  private static String where(Run run, List<Op> ops) {
    return run.step > ops.size() ? "the final secret check"
        : "step " + run.step + " " + ops.get(run.step - 1);
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
    return new Report(count, operations, replay != null ? replay : firstSeed,
        java.util.Collections.unmodifiableMap(new TreeMap<>(tally)));
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
