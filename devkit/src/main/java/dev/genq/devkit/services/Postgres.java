package dev.genq.devkit.services;

/** Where a PostgreSQL database is, and who to connect as. */
public record Postgres(String jdbcUrl, String user, String password, String origin) {
}
