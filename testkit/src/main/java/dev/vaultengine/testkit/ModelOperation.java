package dev.vaultengine.testkit;

import static dev.vaultengine.testkit.ModelRun.check;
import static dev.vaultengine.testkit.ModelRun.checkCredential;
import static dev.vaultengine.testkit.ModelRun.expect;
import static dev.vaultengine.testkit.ModelRun.outcome;
import static dev.vaultengine.testkit.ReferenceModel.HEADER;
import static dev.vaultengine.testkit.ReferenceModel.HOSTS;
import static dev.vaultengine.testkit.ReferenceModel.INJECTIONS;
import static dev.vaultengine.testkit.ReferenceModel.NAMES;
import static dev.vaultengine.testkit.ReferenceModel.NETWORKINGS;
import static dev.vaultengine.testkit.ReferenceModel.SECRET_NAMES;
import static dev.vaultengine.testkit.ReferenceModel.UPDATE_KINDS;
import static dev.vaultengine.testkit.ReferenceModel.UPDATE_NAMES;
import static dev.vaultengine.testkit.ReferenceModel.URLS;
import static dev.vaultengine.testkit.ReferenceModel.expectCredential;
import static dev.vaultengine.testkit.ReferenceModel.expectVault;

import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Networking;
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
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.ReferenceModel.ModelCredential;
import dev.vaultengine.testkit.ReferenceModel.ModelVault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One step of a model-based sequence. Each operation applies itself: it calls the engine, predicts
 * the outcome from the {@link ReferenceModel}, checks the result and updates the model
 * ({@link #apply}). The operations that make sense with several writers at once also race
 * themselves on a shared engine for the stress run ({@link #race}), where no model can predict
 * the interleaving and only documented conflicts and not-founds may surface.
 *
 * <p>References ({@code vault}, {@code credential}) pick among the records created so far, modulo
 * their number, so any sequence of operations is valid and a shrunk one still makes sense.
 */
sealed interface ModelOperation {

  /** Applies this step to the engine and the model of {@code run}, checking every result. */
  void apply(ModelRun run);

  /**
   * Applies this step to the engine shared by racing threads; a
   * {@link dev.vaultengine.VaultException} of a race (conflict, not found) is the caller's to
   * judge. Only the operations {@link OperationGenerator#STRESS} draws support it.
   */
  default void race(StressRun run) {
    throw new UnsupportedOperationException(this + " does not take part in the stress run");
  }

  /**
   * A vault with one credential per spec (see {@link ReferenceModel#SPECS}), duplicates of a key
   * dropped.
   */
  record CreateVault(int name, List<Integer> specs, int variant) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName(NAMES.get(name));
      ModelVault v = new ModelVault(run.model.vaults.size());
      List<ModelCredential> planned = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < specs.size(); i++) {
        ModelCredential m = run.newCredential(v, specs.get(i), variant + i);
        if (keys.add(m.key)) {
          planned.add(m);
          b.addCredential(m.request());
        }
      }
      CreatedVault created = run.service.createVault(b.build());
      v.realId = created.vault().id();
      v.name = NAMES.get(name);
      run.model.vaults.add(v);
      check(created.credentials().size() == planned.size(), "credentials created with the vault");
      for (int i = 0; i < planned.size(); i++) {
        ModelCredential m = planned.get(i);
        m.realId = created.credentials().get(i).id();
        checkCredential(created.credentials().get(i), m, "create vault returns the credential");
        run.model.add(m);
        run.count("create " + m.type.wireName() + " -> ok");
      }
    }

    @Override
    public void race(StressRun run) {
      CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName(NAMES.get(name));
      List<ModelCredential> planned = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < specs.size(); i++) {
        ModelCredential m = ReferenceModel.newCredential(null, specs.get(i), variant + i,
            run::nextSecret, run.now());
        if (keys.add(m.key)) {
          planned.add(m);
          b.addCredential(m.request());
        }
      }
      CreatedVault created = run.service.createVault(b.build());
      run.vaultIds.add(created.vault().id());
      for (int i = 0; i < planned.size(); i++) {
        run.created(created.credentials().get(i), planned.get(i).token);
      }
    }
  }

  /** A credential of {@code spec} added to a vault. */
  record AddCredential(int vault, int spec, int variant) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelVault v = run.model.vault(vault);
      if (v == null) {
        return;
      }
      ModelCredential m = run.newCredential(v, spec, variant);
      ErrorType expected = expectVault(v, true);
      if (expected == null && run.model.activeIn(v, m.key) != null) {
        expected = ErrorType.CONFLICT;
      }
      run.count("create " + m.type.wireName() + " -> " + outcome(expected));
      Optional<Credential> created = expect(expected, () -> run.service.createCredential(
          v.realId, m.request()), "create " + m.type.wireName() + " " + m.key);
      created.ifPresent(c -> {
        m.realId = c.id();
        checkCredential(c, m, "create credential returns it");
        run.model.add(m);
      });
    }

    @Override
    public void race(StressRun run) {
      ModelCredential m = ReferenceModel.newCredential(null, spec, variant, run::nextSecret,
          run.now());
      run.created(run.service.createCredential(run.vaultId(vault), m.request()), m.token);
    }
  }

  /** A vault's display name set and one metadata key patched. */
  record Rename(int vault, int name, int metaKey) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelVault v = run.model.vault(vault);
      if (v == null) {
        return;
      }
      String newName = NAMES.get(name);
      String key = "k" + metaKey;
      Optional<Vault> updated = expect(expectVault(v, true), () -> run.service.updateVault(
          v.realId, UpdateVaultRequest.builder().displayName(newName)
              .putMetadata(key, newName).build()), "update");
      updated.ifPresent(u -> {
        v.name = newName;
        v.metadata.put(key, newName);
        check(u.displayName().equals(newName) && u.metadata().equals(v.metadata),
            "update returns the new state");
      });
    }
  }

  /** A vault archived, and with it its credentials. */
  record ArchiveVault(int vault) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelVault v = run.model.vault(vault);
      if (v == null) {
        return;
      }
      expect(expectVault(v, true), () -> run.service.archiveVault(v.realId), "archive vault")
          .ifPresent(x -> {
            v.archived = true;
            run.model.creds.stream().filter(c -> c.vault == v).forEach(c -> c.archived = true);
          });
    }
  }

  /** A vault deleted, and with it its credentials. */
  record DeleteVault(int vault) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelVault v = run.model.vault(vault);
      if (v == null) {
        return;
      }
      expect(expectVault(v, false), () -> {
        run.service.deleteVault(v.realId);
        return Boolean.TRUE;
      }, "delete vault").ifPresent(x -> v.deleted = true);
    }
  }

  /** A credential archived. */
  record ArchiveCredential(int credential) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelCredential c = run.model.cred(credential);
      if (c == null) {
        return;
      }
      run.count("archive " + c.type.wireName() + " -> " + outcome(expectCredential(c, true)));
      expect(expectCredential(c, true), () -> run.service.archiveCredential(c.vault.realId,
          c.realId), "archive credential").ifPresent(x -> c.archived = true);
    }

    @Override
    public void race(StressRun run) {
      Credential c = run.listedCredential(credential);
      if (c != null) {
        run.service.archiveCredential(c.vaultId(), c.id());
      }
    }
  }

  /** A credential deleted. */
  record DeleteCredential(int credential) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelCredential c = run.model.cred(credential);
      if (c == null) {
        return;
      }
      expect(expectCredential(c, false), () -> {
        run.service.deleteCredential(c.vault.realId, c.realId);
        return Boolean.TRUE;
      }, "delete credential").ifPresent(x -> c.deleted = true);
    }

    @Override
    public void race(StressRun run) {
      Credential c = run.listedCredential(credential);
      if (c != null) {
        run.service.deleteCredential(c.vaultId(), c.id());
        run.deleted.add(c.id());
      }
    }
  }

  /** A credential rotated: archived, and replaced by a copy with a new primary secret. */
  record Rotate(int credential) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelCredential c = run.model.cred(credential);
      if (c == null) {
        return;
      }
      String token = run.nextSecret(ReferenceModel.primaryPrefix(c.type));
      run.count("rotate " + c.type.wireName() + " -> " + outcome(expectCredential(c, true)));
      expect(expectCredential(c, true), () -> run.service.rotateCredential(c.vault.realId,
          c.realId, Secret.of(token)), "rotate " + c.type.wireName()).ifPresent(fresh -> {
            c.archived = true;
            ModelCredential m = c.rotated(fresh.id(), token);
            checkCredential(fresh, m,
                "rotate returns the replacement with every field kept but the old expiry");
            run.model.add(m);
          });
    }

    @Override
    public void race(StressRun run) {
      Credential c = run.listedCredential(credential);
      if (c != null) {
        String token = run.nextSecret(ReferenceModel.primaryPrefix(c.type()));
        run.created(run.service.rotateCredential(c.vaultId(), c.id(), Secret.of(token)), token);
      }
    }
  }

  /**
   * An update of one credential, of the field {@code what} chooses (past the 13 below, one of the
   * credential's own kind): 0 the primary secret, 1 the refresh token, 2 the client secret (with a
   * secret method), 3 a metadata key set or removed, 4 the display name set or cleared,
   * 5 expires_at set or cleared, 6 networking, 7 injection_location, 8 a locked field (refused),
   * 9 another type (refused), 10 the method {@code none} (the client secret goes),
   * 11 {@code refresh: null} (the grant goes), 12 the protocol. A field of another kind is refused
   * before any read; a refresh patch of a credential without a grant and another type after the
   * read.
   */
  record UpdateCredential(int credential, int what, int value) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelCredential m = run.model.cred(credential);
      if (m == null) {
        return;
      }
      CredentialType t = m.type;
      boolean oauth = t == CredentialType.MCP_OAUTH;
      boolean env = t == CredentialType.ENVIRONMENT_VARIABLE;
      int field = what;
      if (field >= UPDATE_KINDS) {
        List<Integer> own = env ? List.of(0, 3, 4, 6, 7) : oauth
            ? List.of(0, 1, 2, 3, 4, 5, 10, 11, 12) : List.of(0, 3, 4, 12);
        field = own.get(field % own.size());
      }
      UpdateCredentialRequest.Builder b = UpdateCredentialRequest.builder(t);
      boolean refusedBeforeRead = false;
      boolean refusedAfterRead = false;
      Runnable applied;
      switch (field) {
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
              ? TokenEndpointAuthMethod.CLIENT_SECRET_BASIC
              : TokenEndpointAuthMethod.CLIENT_SECRET_POST;
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
          Instant at = value % 2 == 0 ? null
              : run.clock.peek().plus(Duration.ofHours(1 + value % 48));
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
      ErrorType expected = refusedBeforeRead ? ErrorType.INVALID_REQUEST
          : expectCredential(m, true);
      if (expected == null && refusedAfterRead) {
        expected = ErrorType.INVALID_REQUEST;
      }
      UpdateCredentialRequest request = b.build();
      run.count("update " + t.wireName() + " " + UPDATE_NAMES.get(field) + " -> "
          + outcome(expected));
      expect(expected, () -> run.service.updateCredential(m.vault.realId, m.realId, request),
          "update " + t.wireName() + " " + UPDATE_NAMES.get(field)).ifPresent(c -> {
            applied.run();
            checkCredential(c, m, "update returns the credential as patched");
          });
    }
  }

  /** A vault read back. */
  record GetVault(int vault) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelVault v = run.model.vault(vault);
      if (v == null) {
        return;
      }
      expect(expectVault(v, false), () -> run.service.getVault(v.realId), "get vault")
          .ifPresent(got -> check(got.displayName().equals(v.name)
              && got.status() == (v.archived ? Status.ARCHIVED : Status.ACTIVE)
              && got.metadata().equals(v.metadata), "get vault returns the model's vault"));
    }
  }

  /** Every vault walked page by page, with archived ones or not, by name or not. */
  record ListVaults(int limit, boolean includeArchived, boolean byName)
      implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      List<String> expected = new ArrayList<>();
      String name = byName ? "prod" : null;
      for (int i = run.model.vaults.size() - 1; i >= 0; i--) {
        ModelVault v = run.model.vaults.get(i);
        if (!v.deleted && (includeArchived || !v.archived)
            && (name == null || v.name.toLowerCase(Locale.ROOT).contains(name))) {
          expected.add(v.realId);
        }
      }
      List<String> walked = ModelRun.walk(p -> run.service.listVaults(p), limit,
          includeArchived, name).stream().map(Vault::id).toList();
      check(walked.equals(expected), "list vaults walks every matching vault once, in order: "
          + walked.size() + " walked, " + expected.size() + " expected");
    }

    @Override
    public void race(StressRun run) {
      StressRun.walkVaults(run.service, limit);
    }
  }

  /** A vault's credentials walked page by page. */
  record ListCredentials(int vault, int limit, boolean includeArchived)
      implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelVault v = run.model.vault(vault);
      if (v == null) {
        return;
      }
      if (v.deleted) {
        expect(ErrorType.NOT_FOUND, () -> run.service.listCredentials(v.realId, null),
            "list credentials of a deleted vault");
        return;
      }
      List<String> expected = new ArrayList<>();
      for (int i = run.model.creds.size() - 1; i >= 0; i--) {
        ModelCredential c = run.model.creds.get(i);
        if (c.vault == v && !c.deleted && (includeArchived || !c.archived)) {
          expected.add(c.realId);
        }
      }
      List<String> walked = ModelRun.walk(p -> run.service.listCredentials(v.realId, p), limit,
          includeArchived, null).stream().map(Credential::id).toList();
      check(walked.equals(expected), "list credentials walks every matching credential once, "
          + "in order");
    }
  }

  /**
   * A session over some vaults resolving a URL: one of {@link ReferenceModel#URLS}, or (for
   * {@code url} past them) the URL of a credential of the session's vaults; variant 1 writes the
   * scheme in capitals, which normalization must ignore.
   */
  record Resolve(List<Integer> vaults, int url, int variant) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      List<ModelVault> session = run.model.sessionOf(vaults);
      if (session.isEmpty()) {
        return;
      }
      ErrorType expected = ReferenceModel.sessionError(session);
      String target = URLS.get(url % URLS.size());
      if (url >= URLS.size()) { // the URL of a credential of the session's vaults, if any
        List<ModelCredential> mcp = run.model.creds.stream().filter(c -> session.contains(c.vault)
            && c.type != CredentialType.ENVIRONMENT_VARIABLE).toList();
        if (!mcp.isEmpty()) {
          target = mcp.get(url % mcp.size()).url;
        }
      }
      if (variant == 1) {
        target = target.replace("https://", "HTTPS://"); // normalization must not matter
      }
      String key = McpServerUrl.parse(target).normalized();
      ModelCredential want = null;
      for (ModelVault v : session) {
        want = run.model.activeIn(v, key);
        if (want != null) {
          break;
        }
      }
      String finalUrl = target;
      ModelCredential finalWant = want;
      expect(expected, () -> run.service.openSession(session.stream().map(v -> v.realId)
          .toList()), "open session").ifPresent(s -> {
            Optional<ResolvedCredential> got = s.resolve(finalUrl);
            run.count("resolve " + (finalWant == null ? "nothing" : finalWant.type.wireName()));
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

    @Override
    public void race(StressRun run) {
      List<String> ids = new ArrayList<>();
      for (int ref : vaults) {
        String id = run.vaultId(ref);
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
      String target = URLS.get(url % URLS.size());
      if (variant == 1) {
        target = target.replace("https://", "HTTPS://");
      }
      Optional<ResolvedCredential> got = run.service.openSession(ids).resolve(target);
      if (got.isPresent()) {
        // A token is recorded only after its create returned, so a fresh one may be unknown.
        String written = run.tokens.get(got.get().credentialId());
        if (written != null && !got.get().accessToken().sameAs(Secret.of(written))) {
          throw new AssertionError("a resolved token differs from the one written");
        }
      }
    }
  }

  /** A session's environment, and the substitution of one placeholder toward one host. */
  record Environment(List<Integer> vaults, int name, int host) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      List<ModelVault> session = run.model.sessionOf(vaults);
      if (session.isEmpty()) {
        return;
      }
      Map<String, ModelCredential> expected = new TreeMap<>();
      for (ModelVault v : session) {
        for (ModelCredential c : run.model.creds) {
          if (c.vault == v && c.type == CredentialType.ENVIRONMENT_VARIABLE && !c.archived
              && !c.deleted) {
            expected.putIfAbsent(c.name, c); // the first vault in session order wins
          }
        }
      }
      expect(ReferenceModel.sessionError(session), () -> run.service.openSession(session
          .stream().map(v -> v.realId).toList()), "open session").ifPresent(s -> {
            Map<String, String> environment = s.environment();
            check(environment.keySet().equals(expected.keySet()),
                "the environment names the active variables of the session's vaults: "
                    + environment.keySet() + " vs model " + expected.keySet());
            check(environment.values().stream().allMatch(p -> p.matches("vaultenv_[0-9a-f]{32}"))
                && new HashSet<>(environment.values()).size() == environment.size(),
                "placeholders are opaque and distinct");
            String chosen = SECRET_NAMES.get(name % SECRET_NAMES.size());
            if (name >= SECRET_NAMES.size() && !expected.isEmpty()) {
              chosen = new ArrayList<>(expected.keySet()).get(name % expected.size());
            }
            ModelCredential want = expected.get(chosen);
            if (want == null) {
              return;
            }
            substitution(run, s, environment.get(chosen), want, HOSTS.get(host));
          });
    }

    /** A request to {@code to} with {@code placeholder} in a header and the body, substituted. */
    private static void substitution(ModelRun run, VaultSession s, String placeholder,
        ModelCredential want, String to) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + to + "/v1/call"))
          .header(HEADER, "Bearer " + placeholder)
          .POST(HttpRequest.BodyPublishers.ofString("v=" + placeholder + "&x=1")).build();
      HttpRequest out = s.substitute(request);
      boolean allowed = ReferenceModel.allows(want.networking, to);
      run.count("substitute " + (allowed ? "to an allowed host" : "to another host"));
      String header = allowed && want.injection.header() ? want.token : placeholder;
      String body = allowed && want.injection.body() ? want.token : placeholder;
      check(Objects.equals(out.headers().firstValue(HEADER).orElse(null), "Bearer " + header),
          "the header is substituted exactly where the model allows (" + to + ", "
              + want.networking + ", " + want.injection + ")");
      check(CredentialKindsContract.body(out).equals("v=" + body + "&x=1"),
          "the body is substituted exactly where the model allows (" + to + ", "
              + want.networking + ", " + want.injection + ")");
    }
  }

  /** Every stored secret compared with the model's, read with the stored format. */
  record CheckSecrets() implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      run.checkSecrets();
    }
  }

  /** A new data key made current. */
  record RotateDataKey() implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      run.engine.keys().rotateDataKey();
    }
  }

  /** Every token re-encrypted under the current data key, and the retired keys disabled. */
  record Reencrypt() implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      run.engine.keys().reencrypt(7);
      check(run.engine.keys().status().tokensOnOlderKeys() == 0, "nothing left on old keys");
      run.engine.keys().disableRetiredKeys();
    }
  }

  /** The engine closed and the store reopened, as a restarted host. */
  record Reopen() implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      run.engine.close();
      // A restart takes at least a millisecond; ids from two generators in one millisecond are
      // ordered by their random bits, not by creation (docs/decisions.md).
      run.clock.advance(Duration.ofMillis(1));
      run.open();
    }
  }

  /** Another account trying to read and change a vault it does not own. */
  record Intrude(int vault) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      ModelVault v = run.model.vault(vault);
      if (v == null) {
        return;
      }
      VaultService other = run.engine.forAccount(ModelRun.OTHER);
      expect(ErrorType.NOT_FOUND, () -> other.getVault(v.realId), "another account's get");
      expect(ErrorType.NOT_FOUND, () -> other.archiveVault(v.realId),
          "another account's archive");
      for (ModelCredential c : run.model.creds) {
        if (c.vault == v) {
          expect(ErrorType.NOT_FOUND, () -> other.updateCredential(v.realId, c.realId,
              UpdateCredentialRequest.builder(c.type).displayName("intruder").build()),
              "another account's update");
          break;
        }
      }
      check(other.listVaults(null).data().isEmpty(), "another account lists nothing");
    }
  }

  /** The clock moved on. */
  record Tick(int seconds) implements ModelOperation {
    @Override
    public void apply(ModelRun run) {
      run.clock.advance(Duration.ofSeconds(seconds));
    }
  }
}
