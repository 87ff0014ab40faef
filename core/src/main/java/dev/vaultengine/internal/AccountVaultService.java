package dev.vaultengine.internal;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Page;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.CredentialValidation;
import dev.vaultengine.RefreshProblem;
import dev.vaultengine.spi.RefreshOutcome;
import dev.vaultengine.Patch;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.internal.CredentialRules.ValidCredential;
import dev.vaultengine.internal.crypto.SecretField;
import dev.vaultengine.internal.crypto.TokenPlace;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** The Vaults API for one account: validation first, then one atomic store call per change. */
final class AccountVaultService implements VaultService {
  static final String DUPLICATE_URL = "A credential already exists for this MCP server URL.";
  static final String DUPLICATE_SECRET_NAME = "A credential already exists for this secret name.";
  private static final int UPDATE_ATTEMPTS = 16;

  private final Engine engine;
  private final String accountId;
  private final String actor;

  AccountVaultService(Engine engine, String accountId, String actor) {
    this.engine = engine;
    this.accountId = accountId;
    this.actor = actor;
  }

  /** The audit and event record of one operation of this account. */
  private Journals.Op op(String operation, String vaultId, String credentialId) {
    return engine.journals.op(accountId, actor, operation,
        Ids.VAULT.matches(vaultId) ? vaultId : null,
        Ids.CREDENTIAL.matches(credentialId) ? credentialId : null);
  }

  /**
   * Runs an operation, recording its refusal in the audit trail when it is refused before it
   * reaches the store (bad input, a missing or archived record found by the read before the
   * write); a refusal the store decides is recorded by the store with the write's journal.
   */
  private <T> T audited(Journals.Op op, Supplier<T> body) {
    try {
      return body.get();
    } catch (VaultException e) {
      if (!op.reachedStore()) {
        engine.appendRefusal(op, e.type().wireName());
      }
      throw e;
    }
  }

  private void auditedRun(Journals.Op op, Runnable body) {
    audited(op, () -> {
      body.run();
      return null;
    });
  }

  /** The wire name of a kind's primary secret, as audit entries name it. */
  private static String primaryField(CredentialType type) {
    return type == CredentialType.ENVIRONMENT_VARIABLE ? "secret_value" : "access_token";
  }

  /** The HMACs of the secrets a new credential row stores, for its audit entry. */
  private String secretsOf(String credentialId, ValidCredential c, boolean prefixed) {
    return engine.journals.secretHashes(prefixed ? credentialId + "." : "",
        new String[] {primaryField(c.kind().type()), "refresh_token", "client_secret"},
        new Secret[] {c.token(), c.refreshToken(), c.clientSecret()});
  }

  @Override
  public String accountId() {
    return accountId;
  }

  // ---------------------------------------------------------------- vaults

  @Override
  public CreatedVault createVault(CreateVaultRequest request) {
    Journals.Op op = op("vault.create", null, null);
    return audited(op, () -> createVault(request, op));
  }

  private CreatedVault createVault(CreateVaultRequest request, Journals.Op op) {
    if (request == null) {
      throw Requests.bodyRequired();
    }
    String displayName = Requests.displayName(request.displayName(), "display_name");
    Map<String, String> metadata = Requests.metadata(request.metadata());
    List<CreateCredentialRequest> requested =
        request.credentials() == null ? List.of() : request.credentials();
    if (requested.isEmpty() && !engine.allowEmptyVaults) {
      throw VaultException.invalidRequest(
          "At least one credential is required when creating a vault.", "credentials");
    }
    List<ValidCredential> valid = new ArrayList<>(requested.size());
    Set<String> keys = new HashSet<>();
    Instant now = engine.now();
    for (int i = 0; i < requested.size(); i++) {
      String prefix = "credentials[" + i + "].";
      ValidCredential c = CredentialRules.create(requested.get(i), prefix, now);
      if (!keys.add(c.identityKey())) {
        throw c.duplicate(prefix);
      }
      valid.add(c);
    }

    String vaultId = Ids.VAULT.format(engine.ids.next());
    VaultRow vault = new VaultRow(accountId, vaultId, displayName, metadata, Status.ACTIVE, null,
        now, now);
    List<CredentialRow> rows = new ArrayList<>(valid.size());
    StringBuilder secrets = new StringBuilder();
    for (ValidCredential c : valid) {
      String id = Ids.CREDENTIAL.format(engine.ids.next());
      rows.add(newCredentialRow(vaultId, id, c, now));
      String hashes = secretsOf(id, c, true);
      if (hashes != null) {
        secrets.append(secrets.length() == 0 ? "" : ",").append(hashes);
      }
    }
    Journals.Op journaled = engine.journals.op(accountId, actor, "vault.create", vaultId, null)
        .at(now).secrets(secrets.length() == 0 ? null : secrets.toString())
        .onOk(cascaded -> {
          List<dev.vaultengine.spi.EventRow> events = new ArrayList<>(rows.size() + 1);
          events.add(engine.journals.event("vault.created", accountId, vaultId, null, now));
          for (CredentialRow r : rows) {
            events.add(engine.journals.event("vault_credential.created", accountId, vaultId,
                r.id(), now));
          }
          return events;
        });
    op.reached();
    WriteOutcome outcome = engine.store.insertVault(vault, rows, journaled.journal());
    if (outcome == WriteOutcome.DUPLICATE_URL) {
      throw VaultException.conflict(DUPLICATE_URL, "credentials");
    }
    expectOk(outcome, "insertVault");
    return new CreatedVault(toVault(vault), rows.stream().map(AccountVaultService::toCredential)
        .toList());
  }

  @Override
  public Vault getVault(String vaultId) {
    return toVault(requireVault(Ids.VAULT.requireId(vaultId)));
  }

  @Override
  public Page<Vault> listVaults(ListRequest request) {
    ListQuery query = Requests.list(request, Ids.VAULT);
    return page(engine.store.listVaults(accountId, query), query, VaultRow::id,
        AccountVaultService::toVault);
  }

  @Override
  public Vault updateVault(String vaultId, UpdateVaultRequest request) {
    Journals.Op op = op("vault.update", vaultId, null);
    return audited(op, () -> updateVault(vaultId, request, op));
  }

  private Vault updateVault(String vaultId, UpdateVaultRequest request, Journals.Op op) {
    Ids.VAULT.requireId(vaultId);
    if (request == null) {
      throw Requests.bodyRequired();
    }
    String displayName = request.displayName() == null
        ? null : Requests.displayName(request.displayName(), "display_name");
    Map<String, String> patch = request.metadataPatch();
    if (displayName == null && (patch == null || patch.isEmpty())) {
      throw VaultException.invalidRequest(
          "At least one of 'display_name' or 'metadata' must be given.", null);
    }
    if (patch != null) {
      Requests.checkPatch(patch);
    }
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      VaultRow current = requireVault(vaultId);
      if (current.status() == Status.ARCHIVED) {
        throw Ids.VAULT.archived(vaultId);
      }
      Map<String, String> metadata = patch == null
          ? current.metadata() : Requests.patchMetadata(current.metadata(), patch);
      VaultRow updated = new VaultRow(accountId, vaultId,
          displayName == null ? current.displayName() : displayName, metadata, Status.ACTIVE, null,
          current.createdAt(), engine.nextChange(current.updatedAt()));
      op.reached();
      WriteOutcome outcome = engine.store.updateVault(updated, current.updatedAt(),
          op.at(updated.updatedAt()).emits("vault.updated").journal());
      if (outcome == WriteOutcome.STALE) {
        continue; // another writer got there first: re-read and apply the patch to theirs
      }
      requireOk(outcome, "updateVault", () -> Ids.VAULT.notFound(vaultId),
          () -> Ids.VAULT.archived(vaultId));
      return toVault(updated);
    }
    throw VaultException.api("Vault '" + vaultId + "' kept changing during the update; try again.",
        null);
  }

  @Override
  public Vault archiveVault(String vaultId) {
    Journals.Op op = op("vault.archive", vaultId, null);
    return audited(op, () -> archiveVault(vaultId, op));
  }

  private Vault archiveVault(String vaultId, Journals.Op op) {
    VaultRow current = requireVault(Ids.VAULT.requireId(vaultId));
    if (current.status() == Status.ARCHIVED) {
      throw Ids.VAULT.alreadyArchived(vaultId);
    }
    Instant at = engine.nextChange(current.updatedAt());
    op.reached();
    WriteOutcome outcome = engine.store.archiveVault(accountId, vaultId, at, op.at(at)
        .onOk(cascaded -> cascade("vault.archived", "vault_credential.archived", vaultId,
            cascaded, at)).journal());
    engine.tokens.evictVault(vaultId);
    requireOk(outcome, "archiveVault", () -> Ids.VAULT.notFound(vaultId),
        () -> Ids.VAULT.alreadyArchived(vaultId));
    return toVault(current.archived(at));
  }

  @Override
  public void deleteVault(String vaultId) {
    Journals.Op op = op("vault.delete", vaultId, null);
    auditedRun(op, () -> {
      Ids.VAULT.requireId(vaultId);
      Instant at = engine.now();
      op.reached();
      boolean deleted = engine.store.deleteVault(accountId, vaultId, op.at(at)
          .onOk(cascaded -> cascade("vault.deleted", "vault_credential.deleted", vaultId,
              cascaded, at)).journal());
      engine.tokens.evictVault(vaultId);
      if (!deleted) {
        throw Ids.VAULT.notFound(vaultId);
      }
    });
  }

  /** A vault's event, then one per credential the store's cascade changed. */
  private List<dev.vaultengine.spi.EventRow> cascade(String vaultType, String credentialType,
      String vaultId, List<String> cascaded, Instant at) {
    List<dev.vaultengine.spi.EventRow> events = new ArrayList<>(cascaded.size() + 1);
    events.add(engine.journals.event(vaultType, accountId, vaultId, null, at));
    for (String id : cascaded) {
      events.add(engine.journals.event(credentialType, accountId, vaultId, id, at));
    }
    return events;
  }

  // ---------------------------------------------------------------- credentials

  @Override
  public Credential createCredential(String vaultId, CreateCredentialRequest request) {
    Journals.Op op = op("credential.create", vaultId, null);
    return audited(op, () -> createCredential(vaultId, request, op));
  }

  private Credential createCredential(String vaultId, CreateCredentialRequest request,
      Journals.Op op) {
    Ids.VAULT.requireId(vaultId);
    Instant now = engine.now();
    ValidCredential valid = CredentialRules.create(request, "", now);
    String id = Ids.CREDENTIAL.format(engine.ids.next());
    CredentialRow row = newCredentialRow(vaultId, id, valid, now);
    op.reached();
    WriteOutcome outcome = engine.store.insertCredential(row,
        engine.journals.op(accountId, actor, "credential.create", vaultId, id).at(now)
            .secrets(secretsOf(id, valid, false)).emits("vault_credential.created").journal());
    if (outcome == WriteOutcome.DUPLICATE_URL) {
      throw valid.duplicate("");
    }
    requireOk(outcome, "insertCredential", () -> Ids.VAULT.notFound(vaultId),
        () -> Ids.VAULT.archived(vaultId));
    return toCredential(row);
  }

  @Override
  public Credential getCredential(String vaultId, String credentialId) {
    return toCredential(requireCredential(Ids.VAULT.requireId(vaultId),
        Ids.CREDENTIAL.requireId(credentialId)));
  }

  @Override
  public Page<Credential> listCredentials(String vaultId, ListRequest request) {
    Ids.VAULT.requireId(vaultId);
    ListQuery query = Requests.list(request, Ids.CREDENTIAL);
    requireVault(vaultId);
    return page(engine.store.listCredentials(accountId, vaultId, query), query, CredentialRow::id,
        AccountVaultService::toCredential);
  }

  @Override
  public Credential archiveCredential(String vaultId, String credentialId) {
    Journals.Op op = op("credential.archive", vaultId, credentialId);
    return audited(op, () -> archiveCredential(vaultId, credentialId, op));
  }

  private Credential archiveCredential(String vaultId, String credentialId, Journals.Op op) {
    CredentialRow current = requireCredential(Ids.VAULT.requireId(vaultId),
        Ids.CREDENTIAL.requireId(credentialId));
    if (current.status() == Status.ARCHIVED) {
      throw Ids.CREDENTIAL.alreadyArchived(credentialId);
    }
    Instant at = engine.nextChange(current.updatedAt());
    op.reached();
    WriteOutcome outcome = engine.store.archiveCredential(accountId, vaultId, credentialId, at,
        op.at(at).emits("vault_credential.archived").journal());
    engine.tokens.evict(credentialId);
    requireOk(outcome, "archiveCredential", () -> Ids.CREDENTIAL.notFound(credentialId),
        () -> Ids.CREDENTIAL.alreadyArchived(credentialId));
    return toCredential(current.archived(at));
  }

  @Override
  public void deleteCredential(String vaultId, String credentialId) {
    Journals.Op op = op("credential.delete", vaultId, credentialId);
    auditedRun(op, () -> {
      Ids.VAULT.requireId(vaultId);
      Ids.CREDENTIAL.requireId(credentialId);
      op.reached();
      boolean deleted = engine.store.deleteCredential(accountId, vaultId, credentialId,
          op.at(engine.now()).emits("vault_credential.deleted").journal());
      engine.tokens.evict(credentialId);
      if (!deleted) {
        throw missingCredential(vaultId, credentialId);
      }
    });
  }

  @Override
  public Credential updateCredential(String vaultId, String credentialId,
      UpdateCredentialRequest request) {
    Journals.Op op = op("credential.update", vaultId, credentialId);
    return audited(op, () -> updateCredential(vaultId, credentialId, request, op));
  }

  private Credential updateCredential(String vaultId, String credentialId,
      UpdateCredentialRequest request, Journals.Op op) {
    Ids.VAULT.requireId(vaultId);
    Ids.CREDENTIAL.requireId(credentialId);
    CredentialRules.checkUpdate(request, engine.now());
    for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      CredentialRow current = requireCredential(vaultId, credentialId);
      if (current.status() == Status.ARCHIVED) {
        throw Ids.CREDENTIAL.archived(credentialId);
      }
      CredentialRules.Applied applied = CredentialRules.apply(request, current.kind(),
          current.secrets() != null && current.secrets().clientSecret() != null);
      if (applied.token() == null && turnsHeaderOn(current.kind(), applied.kind())) {
        // The kept value goes into headers from now on: it must be one a header can carry.
        Secret kept = engine.keys.decrypt(current);
        try {
          if (!CredentialRules.isHeaderSafe(kept)) {
            throw VaultException.invalidRequest("Field 'injection_location.header' cannot be "
                + "true: the stored secret_value holds characters a header cannot carry; give a "
                + "new secret_value with it.", "injection_location.header");
          }
        } finally {
          kept.destroy();
        }
      }
      Map<String, String> metadata = request.metadataPatch() == null
          ? current.metadata()
          : Requests.patchMetadata(current.metadata(), request.metadataPatch());
      String displayName = request.displayName() instanceof Patch.Value<String> v ? v.value()
          : request.displayName().given() ? null : current.displayName();
      // Unchanged secrets are not written back: null keeps what the store holds, which a
      // re-encryption may have moved to another key since we read it.
      EncryptedSecrets secrets = applied.secretsChange() ? resealed(current, applied) : null;
      CredentialRow updated = new CredentialRow(accountId, credentialId, vaultId,
          current.identityKey(), applied.kind(), displayName, metadata, Status.ACTIVE, null,
          current.createdAt(), engine.nextChange(current.updatedAt()), secrets);
      op.reached();
      String primary = primaryField(current.type());
      op.secrets(engine.journals.secretHashes(
          new String[] {primary, "refresh_token", "client_secret"},
          new Secret[] {applied.token(), patchValue(applied.refreshToken()),
              patchValue(applied.clientSecret())}));
      WriteOutcome outcome = engine.store.updateCredential(updated, current.updatedAt(),
          op.at(updated.updatedAt()).emits("vault_credential.updated").journal());
      if (outcome == WriteOutcome.STALE) {
        continue; // another writer got there first: re-read and apply the patch to theirs
      }
      engine.tokens.evict(credentialId);
      requireOk(outcome, "updateCredential", () -> Ids.CREDENTIAL.notFound(credentialId),
          () -> Ids.CREDENTIAL.archived(credentialId));
      return toCredential(updated);
    }
    throw VaultException.api("Credential '" + credentialId
        + "' kept changing during the update; try again.", null);
  }

  @Override
  public CredentialValidation validateCredential(String vaultId, String credentialId) {
    Ids.VAULT.requireId(vaultId);
    Ids.CREDENTIAL.requireId(credentialId);
    CredentialRow row = requireCredential(vaultId, credentialId);
    if (row.status() == Status.ARCHIVED) {
      throw Ids.CREDENTIAL.archived(credentialId);
    }
    if (!(row.kind() instanceof CredentialKind.McpOAuth oauth)) {
      throw VaultException.invalidRequest("Only mcp_oauth credentials can be validated; '"
          + credentialId + "' is " + row.type().wireName() + ".", "credential_id");
    }
    boolean hasRefresh = oauth.refresh().isPresent();
    Refreshes.Fresh fresh = engine.refreshes.freshen(row, Refreshes.Why.VALIDATE);
    Instant now = engine.now();
    CredentialValidation.Status status;
    CredentialValidation.RefreshStatus refresh;
    String detail = null;
    if (fresh.problem() == RefreshProblem.NO_REFRESH_GRANT || !hasRefresh) {
      refresh = CredentialValidation.RefreshStatus.NO_REFRESH_TOKEN;
      boolean expired = oauth.expiresAt().map(at -> !at.isAfter(now)).orElse(false);
      status = expired ? CredentialValidation.Status.INVALID : CredentialValidation.Status.UNKNOWN;
    } else if (fresh.problem() == RefreshProblem.NO_REFRESHER) {
      refresh = CredentialValidation.RefreshStatus.NOT_CONFIGURED;
      status = CredentialValidation.Status.UNKNOWN;
    } else if (fresh.outcome() instanceof RefreshOutcome.Rejected r) {
      refresh = CredentialValidation.RefreshStatus.FAILED;
      status = CredentialValidation.Status.INVALID;
      detail = r.error() + " (HTTP " + r.httpStatus() + ")"; // a registered code only
    } else if (fresh.outcome() instanceof RefreshOutcome.Unavailable u) {
      boolean connect = u.reason() == RefreshOutcome.Reason.CONNECT_FAILED
          || u.reason() == RefreshOutcome.Reason.TIMEOUT;
      refresh = connect ? CredentialValidation.RefreshStatus.CONNECT_ERROR
          : CredentialValidation.RefreshStatus.FAILED;
      status = CredentialValidation.Status.UNKNOWN;
      detail = u.reason().name().toLowerCase(java.util.Locale.ROOT)
          + (u.httpStatus() == 0 ? "" : " (HTTP " + u.httpStatus() + ")");
    } else if (fresh.problem() == null) {
      // This call's request succeeded, or another thread or host refreshed it meanwhile.
      refresh = CredentialValidation.RefreshStatus.SUCCEEDED;
      status = CredentialValidation.Status.VALID;
    } else {
      // Held by another host (in flight or backing off): nothing could be asked now.
      refresh = CredentialValidation.RefreshStatus.FAILED;
      status = CredentialValidation.Status.UNKNOWN;
      detail = fresh.problem().name().toLowerCase(java.util.Locale.ROOT);
    }
    return new CredentialValidation(credentialId, vaultId, now, hasRefresh, status, refresh,
        Optional.ofNullable(detail));
  }

  private static Secret patchValue(Patch<Secret> patch) {
    return patch instanceof Patch.Value<Secret> v ? v.value() : null;
  }

  private static boolean turnsHeaderOn(CredentialKind before, CredentialKind after) {
    return after instanceof CredentialKind.EnvironmentVariable a && a.injectionLocation().header()
        && before instanceof CredentialKind.EnvironmentVariable b
        && !b.injectionLocation().header();
  }

  /** The row's secrets after an update: the given ones new, the kept ones sealed again. */
  private EncryptedSecrets resealed(CredentialRow current, CredentialRules.Applied applied) {
    Secret token = null;
    Secret refresh = null;
    Secret client = null;
    List<Secret> decrypted = new ArrayList<>(3);
    try {
      token = applied.token() != null ? applied.token() : keep(current, null, decrypted);
      refresh = pick(current, applied.refreshToken(), SecretField.REFRESH_TOKEN, decrypted);
      client = pick(current, applied.clientSecret(), SecretField.CLIENT_SECRET, decrypted);
      return engine.keys.seal(TokenPlace.of(current), token, refresh, client);
    } finally {
      decrypted.forEach(Secret::destroy);
    }
  }

  private Secret pick(CredentialRow current, Patch<Secret> patch, SecretField field,
      List<Secret> decrypted) {
    if (patch instanceof Patch.Value<Secret> v) {
      return v.value();
    }
    return patch.given() ? null : keep(current, field, decrypted);
  }

  /** The stored secret {@code field} (null: the primary), decrypted, to be sealed again. */
  private Secret keep(CredentialRow current, SecretField field, List<Secret> decrypted) {
    Secret s = field == null ? engine.keys.decrypt(current) : engine.keys.decrypt(current, field);
    if (s != null) {
      decrypted.add(s);
    }
    return s;
  }

  @Override
  public Credential rotateCredential(String vaultId, String credentialId, Secret newAccessToken) {
    Journals.Op op = op("credential.rotate", vaultId, credentialId);
    return audited(op, () -> rotateCredential(vaultId, credentialId, newAccessToken, op));
  }

  private Credential rotateCredential(String vaultId, String credentialId, Secret newAccessToken,
      Journals.Op op) {
    Ids.VAULT.requireId(vaultId);
    Ids.CREDENTIAL.requireId(credentialId);
    CredentialRow old = requireCredential(vaultId, credentialId);
    if (old.status() == Status.ARCHIVED) {
      throw Ids.CREDENTIAL.archived(credentialId);
    }
    Secret token = old.type() == CredentialType.ENVIRONMENT_VARIABLE
        ? CredentialRules.secretValue(newAccessToken, "secret_value")
        : CredentialRules.accessToken(newAccessToken, "access_token", old.type());
    Instant at = engine.nextChange(old.updatedAt());
    String newId = Ids.CREDENTIAL.format(engine.ids.next());
    List<Secret> decrypted = new ArrayList<>(2);
    CredentialRow replacement;
    try {
      Secret refresh = keep(old, SecretField.REFRESH_TOKEN, decrypted);
      Secret client = keep(old, SecretField.CLIENT_SECRET, decrypted);
      // A new access token's expiry is not the old one's: unknown until an update says it.
      CredentialKind kind = old.kind() instanceof CredentialKind.McpOAuth o
          ? new CredentialKind.McpOAuth(o.mcpServerUrl(), o.protocol(), Optional.empty(),
              o.refresh())
          : old.kind();
      replacement = new CredentialRow(accountId, newId, vaultId, old.identityKey(), kind,
          old.displayName(), old.metadata(), Status.ACTIVE, null, at, at,
          engine.keys.seal(TokenPlace.primary(accountId, vaultId, newId, old.type()), token,
              refresh, client));
    } finally {
      decrypted.forEach(Secret::destroy);
    }
    op.reached();
    String field = primaryField(old.type());
    WriteOutcome outcome = engine.store.rotateCredential(accountId, vaultId, credentialId, at,
        replacement, op.at(at).detail("replacement=" + newId)
            .secrets(engine.journals.secretHashes(new String[] {field}, new Secret[] {token}))
            .onOk(cascaded -> List.of(
                engine.journals.event("vault_credential.archived", accountId, vaultId,
                    credentialId, at),
                engine.journals.event("vault_credential.rotated", accountId, vaultId, newId, at)))
            .journal());
    engine.tokens.evict(credentialId);
    requireOk(outcome, "rotateCredential", () -> Ids.CREDENTIAL.notFound(credentialId),
        () -> Ids.CREDENTIAL.archived(credentialId));
    return toCredential(replacement);
  }

  // ---------------------------------------------------------------- sessions

  @Override
  public VaultSession openSession(List<String> vaultIds) {
    if (vaultIds == null || vaultIds.isEmpty()) {
      throw VaultException.invalidRequest(
          "Field 'vault_ids' must list at least one vault.", "vault_ids");
    }
    List<String> ids = new ArrayList<>(vaultIds.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < vaultIds.size(); i++) {
      String id = Ids.VAULT.requireId(vaultIds.get(i), "vault_ids[" + i + "]");
      if (!seen.add(id)) {
        throw VaultException.invalidRequest(
            "Field 'vault_ids' lists vault '" + id + "' more than once.", "vault_ids[" + i + "]");
      }
      ids.add(id);
    }
    for (String id : ids) {
      if (requireVault(id).status() == Status.ARCHIVED) {
        throw Ids.VAULT.archived(id);
      }
    }
    return new StoreSession(engine, accountId, actor, List.copyOf(ids));
  }

  // ---------------------------------------------------------------- helpers

  private CredentialRow newCredentialRow(String vaultId, String id, ValidCredential c,
      Instant now) {
    return new CredentialRow(accountId, id, vaultId, c.identityKey(), c.kind(), c.displayName(),
        c.metadata(), Status.ACTIVE, null, now, now,
        engine.keys.seal(TokenPlace.primary(accountId, vaultId, id, c.kind().type()), c.token(),
            c.refreshToken(), c.clientSecret()));
  }

  private VaultRow requireVault(String vaultId) {
    return engine.store.findVault(accountId, vaultId)
        .orElseThrow(() -> Ids.VAULT.notFound(vaultId));
  }

  private CredentialRow requireCredential(String vaultId, String credentialId) {
    Optional<CredentialRow> row = engine.store.findCredential(accountId, vaultId, credentialId);
    if (row.isPresent()) {
      return row.get();
    }
    throw missingCredential(vaultId, credentialId);
  }

  /** Names the vault when it is the vault that is missing, as the REST path would. */
  private VaultException missingCredential(String vaultId, String credentialId) {
    if (engine.store.findVault(accountId, vaultId).isEmpty()) {
      return Ids.VAULT.notFound(vaultId);
    }
    return Ids.CREDENTIAL.notFound(credentialId);
  }

  private static <R, T> Page<T> page(List<R> rows, ListQuery query, Function<R, String> id,
      Function<R, T> map) {
    boolean hasMore = rows.size() > query.limit();
    List<R> kept = new ArrayList<>(hasMore ? rows.subList(0, query.limit()) : rows);
    if (query.ascending()) {
      Collections.reverse(kept); // before_id pages are fetched oldest first, shown newest first
    }
    List<T> data = kept.stream().map(map).toList();
    return kept.isEmpty()
        ? new Page<>(data, null, null, false)
        : new Page<>(data, id.apply(kept.get(0)), id.apply(kept.get(kept.size() - 1)), hasMore);
  }

  static Vault toVault(VaultRow row) {
    return new Vault(row.id(), row.displayName(), row.status(),
        Collections.unmodifiableMap(new java.util.TreeMap<>(row.metadata())),
        Optional.ofNullable(row.archivedAt()), row.createdAt(), row.updatedAt());
  }

  static Credential toCredential(CredentialRow row) {
    return new Credential(row.id(), row.vaultId(), row.kind(),
        Optional.ofNullable(row.displayName()),
        Collections.unmodifiableMap(new java.util.TreeMap<>(row.metadata())), row.status(),
        Optional.ofNullable(row.archivedAt()), row.createdAt(), row.updatedAt());
  }

  private static void expectOk(WriteOutcome outcome, String operation) {
    if (outcome != WriteOutcome.OK) {
      throw unexpected(outcome, operation);
    }
  }

  /**
   * What a store's outcome means to the caller: OK passes, NOT_FOUND and ARCHIVED become the
   * operation's documented errors, DUPLICATE_URL the documented conflict, and anything else (an
   * outcome the contract does not allow for {@code operation}) an {@code api_error}.
   */
  private static void requireOk(WriteOutcome outcome, String operation,
      Supplier<VaultException> notFound, Supplier<VaultException> archived) {
    switch (outcome) {
      case OK -> { }
      case NOT_FOUND -> throw notFound.get();
      case ARCHIVED -> throw archived.get();
      case DUPLICATE_URL -> throw VaultException.conflict(DUPLICATE_URL, "mcp_server_url");
      default -> throw unexpected(outcome, operation);
    }
  }

  private static VaultException unexpected(WriteOutcome outcome, String operation) {
    return VaultException.api("The store answered " + outcome + " to " + operation
        + ", which the contract does not allow.", null);
  }
}
