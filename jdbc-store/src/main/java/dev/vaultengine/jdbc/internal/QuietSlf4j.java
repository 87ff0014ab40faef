package dev.vaultengine.jdbc.internal;

import java.io.IOException;

/**
 * Keeps SLF4J from printing its "No SLF4J providers were found" notice on a host that has no
 * SLF4J provider. The connection pool (HikariCP) logs through SLF4J; a host without a provider
 * gets no pool log either way, but SLF4J 2 says so on standard error the first time, which an
 * embedded library must not do to its host's output. So when no provider is on the class path and
 * the host did not choose SLF4J's internal verbosity itself, it is set to {@code ERROR}: that only
 * silences SLF4J's own notices, never a log record. A host with a provider is left alone.
 */
final class QuietSlf4j {
  private static final String VERBOSITY = "slf4j.internal.verbosity";
  private static final String PROVIDERS = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
  private static volatile boolean checked;

  private QuietSlf4j() {}

  /** Called before the first pool is made. */
  static void beforeFirstPool() {
    if (checked) {
      return;
    }
    checked = true;
    if (System.getProperty(VERBOSITY) != null) {
      return;
    }
    ClassLoader loader = QuietSlf4j.class.getClassLoader();
    try {
      if (loader != null && !loader.getResources(PROVIDERS).hasMoreElements()) {
        System.setProperty(VERBOSITY, "ERROR");
      }
    } catch (IOException | SecurityException e) {
      // Cannot tell: leave SLF4J as it is.
    }
  }
}
