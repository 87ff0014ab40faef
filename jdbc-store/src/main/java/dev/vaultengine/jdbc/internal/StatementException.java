package dev.vaultengine.jdbc.internal;

import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/**
 * A driver failure of a statement the store runs on plain JDBC (the log's, the embedded
 * credential insert), reported as Jdbi reports its own, so that the write path's retries, unique
 * violations and busy database see it alike. Its message names the SQLState only: a driver's
 * message may quote the values bound.
 */
final class StatementException extends JdbiException {
  private static final long serialVersionUID = 1L;

  StatementException(SQLException cause) {
    super("a statement failed (SQLState " + cause.getSQLState() + ")", cause);
  }
}
