package dev.vaultengine.jdbc;

/**
 * What a committed write of the embedded SQLite store survives. Both keep SQLite's write-ahead log;
 * they differ in when the log reaches the disk (SQLite's {@code PRAGMA synchronous}).
 */
public enum Durability {
  /**
   * The default: every commit is flushed to the disk before it returns ({@code synchronous=FULL}),
   * so a returned write survives a killed process and a power cut.
   */
  SURVIVES_POWER_LOSS,

  /**
   * A commit reaches the operating system before it returns, and the disk at the next checkpoint
   * ({@code synchronous=NORMAL}): a returned write survives a killed process, but a power cut or
   * an operating-system crash may lose the last commits. Faster (docs/BENCHMARKS.md).
   */
  SURVIVES_PROCESS_KILL
}
