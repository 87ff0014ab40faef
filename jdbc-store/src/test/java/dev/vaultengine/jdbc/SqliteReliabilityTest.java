package dev.vaultengine.jdbc;

import org.junit.jupiter.api.Nested;

/** Reliability on a SQLite file, reopened for real, with each durability setting. */
class SqliteReliabilityTest {
  /** The default durability. */
  @Nested
  class PowerLoss extends JdbcReliabilityTests.Sqlite {
    @Override
    Durability durability() {
      return Durability.SURVIVES_POWER_LOSS;
    }
  }

  /** The faster durability. */
  @Nested
  class ProcessKill extends JdbcReliabilityTests.Sqlite {
    @Override
    Durability durability() {
      return Durability.SURVIVES_PROCESS_KILL;
    }
  }
}
