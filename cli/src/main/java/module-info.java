/** The {@code vault} command. Picocli reads its commands' annotated fields reflectively. */
module dev.vaultengine.cli {
  requires dev.vaultengine.core;
  requires dev.vaultengine.jdbc;
  requires dev.vaultengine.oauth;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires com.google.crypto.tink;
  requires com.h2database;
  requires org.postgresql.jdbc;
  requires org.mariadb.jdbc;
  requires org.xerial.sqlitejdbc;
  requires com.zaxxer.hikari;

  opens dev.vaultengine.cli to info.picocli;

  uses com.google.crypto.tink.KmsClient;
}
