-- test only (ConcurrentMigrationTest): a migration PostgreSQL cannot run inside a transaction,
-- which waits for every older transaction, including one held by an instance waiting for the lock
CREATE INDEX CONCURRENTLY concurrent_test_idx ON projects (created_at);
