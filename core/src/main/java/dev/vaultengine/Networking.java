package dev.vaultengine;

import java.util.List;

/**
 * Where an {@code environment_variable} credential's value may be sent: anywhere, or only to the
 * listed hosts. A closed set, as in the hosted APIs ({@code {type: unrestricted}} or
 * {@code {type: limited, allowed_hosts: [...]}}).
 */
public sealed interface Networking permits Networking.Unrestricted, Networking.Limited {

  /** The JSON {@code type}: {@code unrestricted} or {@code limited}. */
  String type();

  /** Substitution toward any host. */
  static Networking unrestricted() {
    return Unrestricted.INSTANCE;
  }

  /**
   * Substitution toward the listed hosts only; the service validates the entries.
   *
   * @param allowedHosts bare host names, IPv4 addresses or {@code *.}-prefixed wildcards
   */
  static Networking limited(List<String> allowedHosts) {
    return new Limited(allowedHosts);
  }

  /** {@code {type: unrestricted}}. */
  record Unrestricted() implements Networking {
    static final Unrestricted INSTANCE = new Unrestricted();

    @Override
    public String type() {
      return "unrestricted";
    }
  }

  /**
   * {@code {type: limited, allowed_hosts}}.
   *
   * @param allowedHosts 1-16 entries: a bare host name ({@code api.example.com}), an IPv4
   *     address, or a wildcard ({@code *.example.com}, any name below it, not the name itself)
   */
  record Limited(List<String> allowedHosts) implements Networking {
    /** Copies the list (which may hold anything until the service validates it). */
    public Limited {
      allowedHosts = allowedHosts == null ? null
          : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(allowedHosts));
    }

    @Override
    public String type() {
      return "limited";
    }
  }
}
