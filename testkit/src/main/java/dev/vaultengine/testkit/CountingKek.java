package dev.vaultengine.testkit;

import dev.vaultengine.KeyEncryptionKey;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLong;

/** A KEK that counts its calls, to show what touches the KMS (only opening and key changes). */
public final class CountingKek implements KeyEncryptionKey {
  private final KeyEncryptionKey delegate;
  private final AtomicLong calls = new AtomicLong();

  /** Counts the calls made to {@code delegate}. */
  public CountingKek(KeyEncryptionKey delegate) {
    this.delegate = delegate;
  }

  /** Calls so far, encrypt and decrypt together. */
  public long calls() {
    return calls.get();
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    calls.incrementAndGet();
    return delegate.encrypt(plaintext, associatedData);
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    calls.incrementAndGet();
    return delegate.decrypt(ciphertext, associatedData);
  }
}
