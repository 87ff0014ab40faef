package dev.vaultengine.internal.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.mac.HmacKey;
import com.google.crypto.tink.mac.HmacParameters;
import com.google.crypto.tink.mac.MacConfig;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultException;
import dev.vaultengine.internal.Hex;
import dev.vaultengine.internal.SecretBytes;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.VaultStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The audit key: one HMAC-SHA256 key (a Tink MAC keyset, tags without prefix so they are plain
 * HMAC-SHA256) that chains the audit entries and stands in for secrets in them. It is kept in the
 * store encrypted by the data keyset, so whoever can open the data keyset can verify the trail,
 * and rotating the KEK leaves it alone; it is encrypted again on the primary data key before
 * retired data keys are disabled ({@link #rewrap}). It is never rotated: a secret's HMAC must stay
 * the same for "was this token ever stored?" to have an answer.
 */
public final class AuditKey {
  private static final byte[] WRAP_AAD = utf8("vault-engine/audit-key/v1");
  private static final byte[] CHAIN_LABEL = utf8("vault-engine/audit-chain/v1");
  private static final byte[] SECRET_LABEL = utf8("vault-engine/audit-secret/v1");
  private static final int CAS_ATTEMPTS = 8;
  private static final HmacParameters PARAMETERS;

  private final VaultStore store;
  private final DataKeys keys;
  private final KeysetHandle handle;
  private final ThreadLocal<ChainMac> macs;

  static {
    try {
      MacConfig.register();
      PARAMETERS = HmacParameters.builder().setKeySizeBytes(32).setTagSizeBytes(32)
          .setHashType(HmacParameters.HashType.SHA256)
          .setVariant(HmacParameters.Variant.NO_PREFIX).build();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private AuditKey(VaultStore store, DataKeys keys, KeysetHandle handle) throws
      GeneralSecurityException {
    this.store = store;
    this.keys = keys;
    this.handle = handle;
    // Tink's Mac checks the keyset and is the reference the tests hold this to; the entries are
    // computed by ChainMac on the same key (see there).
    Mac reference = handle.getPrimitive(TinkSupport.configuration(), Mac.class);
    ChainMac probe = newChainMac(handle);
    byte[] check = utf8("vault-engine/audit-key/self-check");
    probe.begin().bytes(check, 0, check.length);
    reference.verifyMac(probe.finish(), check);
    this.macs = ThreadLocal.withInitial(() -> newChainMac(handle));
  }

  /** A {@link ChainMac} on the key of {@code handle}, whose bytes are wiped once it has them. */
  private static ChainMac newChainMac(KeysetHandle handle) {
    byte[] key = ((HmacKey) handle.getPrimary().getKey()).getKeyBytes()
        .toByteArray(InsecureSecretKeyAccess.get());
    try {
      return new ChainMac(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A new audit key held by nothing (for the tests: it cannot be rewrapped). */
  static AuditKey generateForTest() throws GeneralSecurityException {
    return new AuditKey(null, null, KeysetHandle.generateNew(PARAMETERS));
  }

  /**
   * Loads the store's audit key, creating it on first use (of several processes doing so at once,
   * the first to store one wins and the others use it).
   *
   * @throws VaultException.Api when the stored key does not decrypt with the data keyset
   */
  public static AuditKey open(VaultStore store, DataKeys keys) {
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      Optional<byte[]> stored = store.loadAuditKey();
      try {
        if (stored.isPresent()) {
          return new AuditKey(store, keys, unwrap(stored.get(), keys));
        }
        KeysetHandle handle = KeysetHandle.generateNew(PARAMETERS);
        if (store.replaceAuditKey(null, wrap(handle, keys))) {
          return new AuditKey(store, keys, handle);
        }
      } catch (GeneralSecurityException e) {
        throw TinkSupport.apiError("The audit key cannot be opened with this store's data keyset: "
            + "it was altered, or its data key was disabled. Nothing was changed.");
      }
    }
    throw TinkSupport.apiError("Cannot store the audit key: it kept changing under this engine.");
  }

  /**
   * Encrypts the stored audit key again under the primary data key, so retired data keys can be
   * disabled without losing it.
   */
  public void rewrap() {
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      byte[] stored = store.loadAuditKey().orElse(null);
      try {
        if (store.replaceAuditKey(stored, wrap(handle, keys))) {
          return;
        }
      } catch (GeneralSecurityException e) {
        throw TinkSupport.apiError("Cannot encrypt the audit key under the primary data key.");
      }
    }
    throw TinkSupport.apiError("The audit key kept changing under this engine; try again.");
  }

  /** The HMAC of a secret as audit entries show it, lowercase hex. */
  public String hash(Secret secret) {
    byte[] plain = SecretBytes.utf8(secret);
    try {
      ChainMac m = macs.get().begin();
      m.bytes(SECRET_LABEL, 0, SECRET_LABEL.length);
      m.bytes(plain, 0, plain.length);
      return Hex.of(m.finish());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** The chain MAC of {@code entry} after an entry whose MAC was {@code previous}. */
  public byte[] seal(byte[] previous, AuditRow entry) {
    return chainMac(previous, entry);
  }

  /** Whether {@code entry.mac()} is the chain MAC of {@code entry} after {@code previous}. */
  public boolean verify(byte[] previous, AuditRow entry) {
    return entry.mac() != null && MessageDigest.isEqual(entry.mac(), chainMac(previous, entry));
  }

  /**
   * HMAC-SHA256 of every field of the entry, each with its length (or -1 for null) before it,
   * after a label and the previous MAC: no two different entries or chains share an input. The
   * fields go straight into the MAC (no array of the whole input is built): this runs for every
   * audit entry, inside the store's log lock. {@link #chainInput} is the same input as one array,
   * for the tests.
   */
  private byte[] chainMac(byte[] previous, AuditRow e) {
    byte[] prev = previous == null ? new byte[0] : previous;
    ChainMac m = macs.get().begin();
    m.field(CHAIN_LABEL);
    m.field(prev);
    m.longField(e.sequence());
    m.longField(micros(e));
    m.text(e.accountId());
    m.text(e.actor());
    m.text(e.operation());
    m.text(e.vaultId());
    m.text(e.credentialId());
    m.text(e.outcome());
    m.text(e.secrets());
    m.text(e.detail());
    return m.finish();
  }

  /** The chain MAC's input as one array, as {@link #chainMac} feeds it (for the tests). */
  static byte[] chainInput(byte[] previous, AuditRow e) {
    byte[] prev = previous == null ? new byte[0] : previous;
    String[] texts = {e.accountId(), e.actor(), e.operation(), e.vaultId(), e.credentialId(),
        e.outcome(), e.secrets(), e.detail()};
    byte[][] fields = new byte[texts.length][];
    int size = 4 + CHAIN_LABEL.length + 4 + prev.length + 2 * (4 + 8);
    for (int i = 0; i < texts.length; i++) {
      fields[i] = texts[i] == null ? null : utf8(texts[i]);
      size += 4 + (fields[i] == null ? 0 : fields[i].length);
    }
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(size);
    out.putInt(CHAIN_LABEL.length).put(CHAIN_LABEL);
    out.putInt(prev.length).put(prev);
    out.putInt(8).putLong(e.sequence());
    out.putInt(8).putLong(micros(e));
    for (byte[] f : fields) {
      if (f == null) {
        out.putInt(-1);
      } else {
        out.putInt(f.length).put(f);
      }
    }
    return out.array();
  }

  /** The HMAC of {@code input} by Tink's own primitive on this key (for the tests). */
  byte[] referenceMac(byte[] input) throws GeneralSecurityException {
    return handle.getPrimitive(TinkSupport.configuration(), Mac.class).computeMac(input);
  }

  /** The chain MAC as {@link #seal} computes it, on {@code input} given whole (for the tests). */
  byte[] streamedMac(byte[] input) {
    ChainMac m = macs.get().begin();
    m.bytes(input, 0, input.length);
    return m.finish();
  }

  private static long micros(AuditRow e) {
    return e.at().getEpochSecond() * 1_000_000L + e.at().getNano() / 1_000;
  }

  /**
   * Whether two stored (wrapped) audit keys hold the same key, both unwrapped with the data keyset
   * {@code wrappedKeyset} under {@code kek}, any of its keys: disabling retired data keys wraps
   * the audit key again under the primary, so the stored bytes change while the key does not.
   * False when either does not unwrap.
   *
   * @throws VaultException.Api when {@code kek} cannot unwrap the data keyset
   */
  public static boolean sameKey(byte[] a, byte[] b, byte[] wrappedKeyset,
      dev.vaultengine.KeyEncryptionKey kek) {
    com.google.crypto.tink.Aead aead;
    try {
      aead = DataKeys.allKeysAead(wrappedKeyset, kek);
    } catch (GeneralSecurityException e) {
      throw TinkSupport.apiError("The data keyset holds no usable AEAD key.");
    }
    try {
      KeysetHandle first = TinkProtoKeysetFormat.parseEncryptedKeyset(a, aead, WRAP_AAD,
          TinkSupport.configuration());
      KeysetHandle second = TinkProtoKeysetFormat.parseEncryptedKeyset(b, aead, WRAP_AAD,
          TinkSupport.configuration());
      return first.size() == 1 && second.size() == 1
          && first.getPrimary().getKey().equalsKey(second.getPrimary().getKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] wrap(KeysetHandle handle, DataKeys keys) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, keys.currentAead(), WRAP_AAD,
        TinkSupport.configuration());
  }

  private static KeysetHandle unwrap(byte[] wrapped, DataKeys keys)
      throws GeneralSecurityException {
    return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, keys.currentAead(), WRAP_AAD,
        TinkSupport.configuration());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "AuditKey[HMAC-SHA256]";
  }
}
