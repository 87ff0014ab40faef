package dev.vaultengine;

import java.util.Objects;

/**
 * One field of a merge patch (RFC 7396): omitted (keep the stored value), null (clear it), or a
 * new value. Three states, because "absent" and "null" mean different things in an update body.
 *
 * @param <T> the field's type
 */
public sealed interface Patch<T> permits Patch.Omitted, Patch.Cleared, Patch.Value {

  /** The field was not given: the stored value is kept. */
  @SuppressWarnings("unchecked")
  static <T> Patch<T> omitted() {
    return (Patch<T>) Omitted.INSTANCE;
  }

  /** The field was given as null: the stored value is cleared. */
  @SuppressWarnings("unchecked")
  static <T> Patch<T> cleared() {
    return (Patch<T>) Cleared.INSTANCE;
  }

  /** A new value, or {@link #cleared()} when {@code value} is null (JSON's reading of null). */
  static <T> Patch<T> of(T value) {
    return value == null ? cleared() : new Value<>(value);
  }

  /** True unless omitted. */
  default boolean given() {
    return !(this instanceof Omitted);
  }

  /** The field was not given. */
  record Omitted<T>() implements Patch<T> {
    static final Omitted<?> INSTANCE = new Omitted<>();
  }

  /** The field was given as null. */
  record Cleared<T>() implements Patch<T> {
    static final Cleared<?> INSTANCE = new Cleared<>();
  }

  /**
   * The field was given a value.
   *
   * @param value the new value, never null
   */
  record Value<T>(T value) implements Patch<T> {
    /** Requires a value: null is {@link Patch#cleared()}. */
    public Value {
      Objects.requireNonNull(value, "value");
    }
  }
}
