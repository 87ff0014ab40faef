package dev.vaultengine.testkit;

import dev.vaultengine.spi.VaultStore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A store decorator that counts calls and can inject a failure, for tests that must show that bad
 * input never reaches the store, that the hot path costs one read, or that a failing store leaves
 * nothing half-done. {@code changeCount} is forwarded and not counted: it is an in-memory number,
 * not a read of stored data. Appends to the log (events and audit entries of operations that
 * change no record: refusals, first disclosures) are counted apart, as {@link #appends()}.
 */
public final class RecordingStore extends ForwardingStore {
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong appends = new AtomicLong();
  private final AtomicReference<String> failOn = new AtomicReference<>();

  /** Wraps {@code delegate}. */
  public RecordingStore(VaultStore delegate) {
    super(delegate);
  }

  /** Write calls so far. */
  public long writes() {
    return writes.get();
  }

  /** Read calls so far. */
  public long reads() {
    return reads.get();
  }

  /** Log appends so far (not counted as reads or writes). */
  public long appends() {
    return appends.get();
  }

  /** Makes the next call of the SPI method named {@code method} throw, once. */
  public void failNext(String method) {
    failOn.set(method);
  }

  @Override
  protected void before(String method, boolean write) {
    ("append".equals(method) ? appends : write ? writes : reads).incrementAndGet();
    if (failOn.compareAndSet(method, null)) {
      throw new IllegalStateException("injected failure in " + method);
    }
  }
}
