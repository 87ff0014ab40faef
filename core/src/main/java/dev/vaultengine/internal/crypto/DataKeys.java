package dev.vaultengine.internal.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.KeyManager;
import dev.vaultengine.KeysetStatus;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultException;
import dev.vaultengine.internal.SecretBytes;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.VaultStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The data keyset: Tink AES-256-GCM keys, stored in the store wrapped by the KEK, unwrapped once
 * when the engine opens. Tokens are encrypted locally, each bound by associated data to its place
 * (account, vault, credential, type, field, format version), so a ciphertext moved to another row does not
 * decrypt. Keyset changes are compare-and-set on the stored bytes, so processes sharing a store
 * never overwrite each other's rotation.
 */
public final class DataKeys implements KeyManager {
  private static final byte[] KEYSET_AAD =
      "vault-engine/data-keyset/v1".getBytes(StandardCharsets.UTF_8);
  private static final String TOKEN_AAD_LABEL = "vault-engine/token";
  private static final int CAS_ATTEMPTS = 8;

  private final VaultStore store;
  private volatile KeyEncryptionKey kek;
  private volatile State state;
  private volatile KeyJournals journals = (operation, eventType, detail) -> Journal.NONE;
  private final boolean created;

  /**
   * Builds the journal of a key operation: what the audit entry names it, the event it emits, and
   * a detail without secrets (null for none).
   */
  @FunctionalInterface
  public interface KeyJournals {
    /** The journal of one key operation. */
    Journal of(String operation, String eventType, String detail);
  }

  /** An unwrapped keyset, immutable: rotation swaps the whole state. */
  private record State(byte[] wrapped, KeysetHandle handle, Aead aead, int primaryId, Set<Integer> ids) {}

  private DataKeys(VaultStore store, KeyEncryptionKey kek, State state, boolean created) {
    this.store = store;
    this.kek = kek;
    this.state = state;
    this.created = created;
  }

  /**
   * From now on, key operations record their events and audit entries through {@code journals}
   * (set once the audit key, which the data keyset encrypts, is open).
   */
  public void journalWith(KeyJournals journals) {
    this.journals = requireNonNull(journals, "journals");
  }

  /** Whether {@link #open} created the keyset (this was the store's first use). */
  public boolean created() {
    return created;
  }

  /** The AEAD of the current keyset: it encrypts with the primary key and decrypts with any. */
  com.google.crypto.tink.Aead currentAead() {
    return reloadIfChanged().aead;
  }

  /**
   * Loads and unwraps the store's data keyset, creating it on first use.
   *
   * @throws VaultException.Api when the KEK cannot unwrap it; the store is left untouched
   */
  public static DataKeys open(VaultStore store, KeyEncryptionKey kek) {
    requireNonNull(store, "store");
    requireNonNull(kek, "kek");
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      Optional<byte[]> stored = store.loadKeyset();
      if (stored.isPresent()) {
        return new DataKeys(store, kek, unwrap(stored.get(), kek), false);
      }
      try {
        KeysetHandle handle = TinkSupport.newAes256GcmKeyset();
        byte[] wrapped = wrap(handle, kek);
        // The first keyset is recorded by the engine once the audit key exists (it needs this one).
        if (store.replaceKeyset(null, wrapped, Journal.NONE)) {
          return new DataKeys(store, kek, state(wrapped, handle), true);
        }
      } catch (GeneralSecurityException e) {
        throw TinkSupport.apiError("Cannot create the data keyset: the KEK refused to encrypt it.");
      }
      // Another process stored a keyset first: use theirs.
    }
    throw TinkSupport.apiError("Cannot store the data keyset: it kept changing under this engine.");
  }

  /** Encrypts {@code token} for the credential at {@code place}. */
  public EncryptedToken encrypt(Secret token, TokenPlace place) {
    return encrypt(state, token, place);
  }

  /**
   * Encrypts a credential's secrets with one data key, the primary at {@code primary}'s place and
   * the others beside it.
   *
   * @param refreshToken null when the credential has none
   * @param clientSecret null when the credential has none
   */
  public EncryptedSecrets seal(TokenPlace primary, Secret token, Secret refreshToken,
      Secret clientSecret) {
    State s = state; // one snapshot: every secret of a row on the same key
    return new EncryptedSecrets(encrypt(s, token, primary),
        refreshToken == null ? null
            : encrypt(s, refreshToken, primary.withField(SecretField.REFRESH_TOKEN)),
        clientSecret == null ? null
            : encrypt(s, clientSecret, primary.withField(SecretField.CLIENT_SECRET)));
  }

  private static EncryptedToken encrypt(State s, Secret token, TokenPlace place) {
    byte[] plain = SecretBytes.utf8(token);
    try {
      return new EncryptedToken(s.primaryId, s.aead.encrypt(plain, place.associatedData()));
    } catch (GeneralSecurityException e) {
      throw TinkSupport.apiError("Cannot encrypt the " + place.field().wireName()
          + " of credential '" + place.credentialId() + "'.");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Decrypts a stored row's primary secret.
   *
   * @throws VaultException.Api naming the credential when the row does not decrypt
   */
  public Secret decrypt(CredentialRow row) {
    return decrypt(row, TokenPlace.primaryField(row.type()));
  }

  /**
   * Decrypts one secret field of a stored row.
   *
   * @return the secret, or null when the row holds no such secret
   * @throws VaultException.Api naming the credential and field when it does not decrypt
   */
  public Secret decrypt(CredentialRow row, SecretField field) {
    EncryptedSecrets secrets = row.secrets();
    if (secrets == null) {
      throw TinkSupport.apiError("Credential '" + row.id() + "' has no stored secret.");
    }
    EncryptedToken token = switch (field) {
      case ACCESS_TOKEN, SECRET_VALUE -> secrets.token();
      case REFRESH_TOKEN -> secrets.refreshToken();
      case CLIENT_SECRET -> secrets.clientSecret();
    };
    if (token == null) {
      return null;
    }
    State s = state;
    if (!s.ids.contains(token.keyId())) {
      s = reloadIfChanged(); // another process may have rotated the keyset
    }
    byte[] plain = null;
    try {
      plain = s.aead.decrypt(token.ciphertext(), TokenPlace.of(row, field).associatedData());
      return Secret.ofUtf8(plain);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw TinkSupport.apiError("The stored " + field.wireName() + " of credential '" + row.id()
          + "' cannot be decrypted: the row was altered, moved or its key disabled.");
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  @Override
  public KeysetStatus status() {
    State s = state;
    List<KeysetStatus.DataKey> keys = new ArrayList<>();
    for (int i = 0; i < s.handle.size(); i++) {
      KeysetHandle.Entry e = s.handle.getAt(i);
      keys.add(new KeysetStatus.DataKey(e.getId(), e.isPrimary(), e.getStatus() == KeyStatus.ENABLED));
    }
    return new KeysetStatus(s.primaryId, List.copyOf(keys), store.countTokensNotOnKey(s.primaryId));
  }

  @Override
  public int rotateDataKey() {
    return update("keyset.rotate_data_key", "keyset.data_key_rotated", current -> {
      KeysetHandle.Builder builder =
          KeysetHandle.newBuilder(current).setConfiguration(TinkSupport.configuration());
      builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
          .withRandomId().makePrimary());
      return builder.build();
    }).primaryId;
  }

  @Override
  public void disableRetiredKeys() {
    int primary = state.primaryId;
    long left = store.countTokensNotOnKey(primary);
    if (left > 0) {
      throw VaultException.conflict(left + " stored tokens are still on retired keys; run "
          + "re-encryption before disabling them.", null);
    }
    update("keyset.disable_retired_keys", "keyset.retired_keys_disabled", current -> {
      KeysetHandle.Builder builder =
          KeysetHandle.newBuilder(current).setConfiguration(TinkSupport.configuration());
      for (int i = 0; i < builder.size(); i++) {
        if (!builder.getAt(i).isPrimary()) {
          builder.getAt(i).setStatus(KeyStatus.DISABLED);
        }
      }
      return builder.build();
    });
  }

  @Override
  public void rotateKeyEncryptionKey(KeyEncryptionKey newKek) {
    if (newKek == null) {
      throw VaultException.invalidRequest("Field 'kek' is required.", "kek");
    }
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      State current = reloadIfChanged();
      byte[] wrapped;
      try {
        wrapped = wrap(current.handle, newKek);
        unwrap(wrapped, newKek); // prove the new KEK opens what we are about to store
      } catch (GeneralSecurityException e) {
        throw TinkSupport.apiError("The new KEK cannot wrap the data keyset; nothing was changed.");
      }
      if (store.replaceKeyset(current.wrapped, wrapped,
          journals.of("keyset.rotate_kek", "keyset.kek_rotated", null))) {
        kek = newKek;
        state = state(wrapped, current.handle);
        return;
      }
    }
    throw TinkSupport.apiError("The data keyset kept changing during KEK rotation; try again.");
  }

  @Override
  public ReencryptionReport reencrypt(int batchSize) {
    return reencrypt(batchSize, (done, total) -> { });
  }

  @Override
  public ReencryptionReport reencrypt(int batchSize, Progress progress) {
    if (batchSize < 1 || batchSize > 10_000) {
      throw VaultException.invalidRequest(
          "Field 'batch_size' must be between 1 and 10000.", "batch_size");
    }
    if (progress == null) {
      // A public parameter: bad input is an invalid_request_error, as everywhere else.
      throw VaultException.invalidRequest("Field 'progress' is required.", "progress");
    }
    State current = reloadIfChanged();
    int primary = current.primaryId;
    long total = store.countTokensNotOnKey(primary);
    long moved = 0;
    List<String> failed = new ArrayList<>();
    for (int keyId : current.ids) {
      if (keyId != primary) {
        moved = reencryptKey(keyId, batchSize, failed, moved, total, progress);
      }
    }
    long left = store.countTokensNotOnKey(primary);
    store.append(journals.of("keyset.reencrypt", "keyset.reencrypted",
        "moved=" + moved + " failed=" + failed.size() + " left=" + left));
    return new ReencryptionReport(moved, List.copyOf(failed), left);
  }

  /**
   * Moves every token on {@code keyId} to the primary, batch by batch, in id order, telling
   * {@code progress} after each batch.
   *
   * @return {@code moved} plus the rows moved here
   */
  private long reencryptKey(int keyId, int batchSize, List<String> failed, long moved, long total,
      Progress progress) {
    String after = null;
    while (true) {
      List<CredentialRow> batch = store.findTokensOnKey(keyId, after, batchSize);
      for (CredentialRow row : batch) {
        after = row.id();
        Secret token = null;
        Secret refresh = null;
        Secret client = null;
        try {
          token = decrypt(row);
          refresh = decrypt(row, SecretField.REFRESH_TOKEN);
          client = decrypt(row, SecretField.CLIENT_SECRET);
          EncryptedSecrets fresh = seal(TokenPlace.of(row), token, refresh, client);
          // Conditional on the old ciphertext: an archive, delete, update or concurrent run wins.
          if (store.replaceSecrets(row.accountId(), row.id(), row.token(), fresh)) {
            moved++;
          }
        } catch (VaultException e) {
          failed.add(row.id());
        } finally {
          destroy(token, refresh, client);
        }
      }
      progress.update(moved, total);
      if (batch.size() < batchSize) {
        return moved;
      }
    }
  }

  private static void destroy(Secret... secrets) {
    for (Secret secret : secrets) {
      if (secret != null) {
        secret.destroy();
      }
    }
  }

  @FunctionalInterface
  private interface KeysetChange {
    KeysetHandle apply(KeysetHandle current) throws GeneralSecurityException;
  }

  private State update(String operation, String eventType, KeysetChange change) {
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      State current = reloadIfChanged();
      try {
        KeysetHandle next = change.apply(current.handle);
        byte[] wrapped = wrap(next, kek);
        if (store.replaceKeyset(current.wrapped, wrapped, journals.of(operation, eventType,
            "primary_key_id=" + next.getPrimary().getId()))) {
          State s = state(wrapped, next);
          state = s;
          return s;
        }
      } catch (GeneralSecurityException e) {
        throw TinkSupport.apiError("Cannot change the data keyset: " + e.getClass().getSimpleName());
      }
    }
    throw TinkSupport.apiError("The data keyset kept changing under this engine; try again.");
  }

  /** Re-reads the stored keyset and adopts it if another process changed it. */
  private synchronized State reloadIfChanged() {
    State current = state;
    byte[] stored = store.loadKeyset().orElse(null);
    if (stored != null && !Arrays.equals(stored, current.wrapped)) {
      current = unwrap(stored, kek);
      state = current;
    }
    return current;
  }

  /**
   * Whether the wrapped keyset {@code earlier} is an earlier state of {@code later}: every key of
   * {@code earlier} is in {@code later} with the same id and the same key material (its status
   * and which key is primary may differ). That is what rotating a data key or disabling retired
   * keys makes of a keyset, and what a copy may bring over a target's keyset: every token the
   * target holds still decrypts. Both are unwrapped with {@code kek}; the key material is compared
   * in memory and never leaves it.
   *
   * @throws VaultException.Api when {@code kek} cannot unwrap one of them
   */
  public static boolean isEarlierState(byte[] earlier, byte[] later, KeyEncryptionKey kek) {
    KeysetHandle before = unwrap(earlier, kek).handle;
    KeysetHandle after = unwrap(later, kek).handle;
    for (int i = 0; i < before.size(); i++) {
      KeysetHandle.Entry key = before.getAt(i);
      boolean found = false;
      for (int j = 0; j < after.size() && !found; j++) {
        KeysetHandle.Entry other = after.getAt(j);
        found = other.getId() == key.getId() && other.getKey().equalsKey(key.getKey());
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /**
   * The id of the primary key of a wrapped keyset: the key re-encryption moves every token to.
   *
   * @throws VaultException.Api when {@code kek} cannot unwrap it
   */
  public static int primaryKeyId(byte[] wrapped, KeyEncryptionKey kek) {
    return unwrap(wrapped, kek).primaryId;
  }

  /**
   * The AEAD of a wrapped keyset with every key enabled: it decrypts what any key of the keyset,
   * retired and disabled ones included, ever encrypted (to compare two wrappings of the audit key).
   */
  static Aead allKeysAead(byte[] wrapped, KeyEncryptionKey kek) throws GeneralSecurityException {
    KeysetHandle.Builder builder = KeysetHandle.newBuilder(unwrap(wrapped, kek).handle)
        .setConfiguration(TinkSupport.configuration());
    for (int i = 0; i < builder.size(); i++) {
      builder.getAt(i).setStatus(KeyStatus.ENABLED);
    }
    return builder.build().getPrimitive(TinkSupport.configuration(), Aead.class);
  }

  private static State unwrap(byte[] wrapped, KeyEncryptionKey kek) {
    KeysetHandle handle;
    try {
      handle = TinkProtoKeysetFormat.parseEncryptedKeyset(
          wrapped, TinkSupport.asAead(kek), KEYSET_AAD, TinkSupport.configuration());
    } catch (GeneralSecurityException e) {
      throw TinkSupport.apiError("The key-encryption key cannot unwrap this store's data keyset: "
          + "it is not the KEK the store was created with, or the stored keyset is damaged. "
          + "Nothing was changed.");
    }
    return state(wrapped, handle);
  }

  private static State state(byte[] wrapped, KeysetHandle handle) {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < handle.size(); i++) {
      ids.add(handle.getAt(i).getId());
    }
    try {
      Aead aead = handle.getPrimitive(TinkSupport.configuration(), Aead.class);
      return new State(wrapped.clone(), handle, aead, handle.getPrimary().getId(), Set.copyOf(ids));
    } catch (GeneralSecurityException e) {
      throw TinkSupport.apiError("The data keyset holds no usable AEAD key.");
    }
  }

  private static byte[] wrap(KeysetHandle handle, KeyEncryptionKey kek)
      throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(
        handle, TinkSupport.asAead(kek), KEYSET_AAD, TinkSupport.configuration());
  }

  /**
   * Length-prefixed fields (the {@code DataOutput.writeUTF} layout for the label and ids, which are
   * ASCII) after a 4-byte format version, so no two different places can share associated data.
   * Format 1 ({@code static_bearer} tokens) has no field; format 2 ends with the field's name.
   * Written by hand into one array: this runs for every secret encrypted and decrypted.
   */
  static byte[] tokenAad(int version, String accountId, String vaultId, String credentialId,
      String type, String field) {
    byte[][] parts = {LABEL_UTF8, null, utf8(accountId), utf8(vaultId), utf8(credentialId),
        utf8(type), field == null ? null : utf8(field)};
    int size = 4;
    for (byte[] p : parts) {
      size += p == null ? 0 : 2 + p.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      if (i == 1) {
        out[at++] = (byte) (version >>> 24);
        out[at++] = (byte) (version >>> 16);
        out[at++] = (byte) (version >>> 8);
        out[at++] = (byte) version;
        continue;
      }
      byte[] p = parts[i];
      if (p == null) {
        continue;
      }
      out[at++] = (byte) (p.length >>> 8);
      out[at++] = (byte) p.length;
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static final byte[] LABEL_UTF8 = utf8(TOKEN_AAD_LABEL);

  private static byte[] utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0xFFFF) {
      throw new IllegalArgumentException("associated data field too long");
    }
    return b;
  }

}
