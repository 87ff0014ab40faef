package dev.vaultengine;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parsing of the enums' JSON names, shared so every enum answers bad input the same way. */
final class WireNames {
  private WireNames() {}

  static <E extends Enum<E>> E parse(
      Class<E> type, E[] values, Function<E, String> name, String value, String param) {
    if (value == null) {
      throw VaultException.invalidRequest("Field '" + param + "' is required.", param);
    }
    for (E e : values) {
      if (name.apply(e).equals(value)) {
        return e;
      }
    }
    String allowed = Arrays.stream(values).map(name).collect(Collectors.joining(", "));
    throw VaultException.invalidRequest(
        "Field '" + param + "' must be one of: " + allowed + ".", param);
  }
}
