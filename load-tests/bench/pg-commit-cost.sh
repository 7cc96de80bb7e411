#!/usr/bin/env bash
# PostgreSQL's CPU per journal insert statement, split into what a commit costs and what a row costs: a
# procedure inserts rows the shape of the journal's (the plugin's event_journal, 180-byte payloads, 100
# entities) and commits after each statement; the backend's CPU is read from /proc before and after.
#
#   PGHOST=127.0.0.1 PGPORT=5433 PGUSER=postgres PGPASSWORD=... load-tests/bench/pg-commit-cost.sh
#
# The database server must run on this machine (its backend's /proc entry is read). Uses a database of its
# own, dropped at the end. Prints CPU per statement and per row, with synchronous_commit on (crash-safe) and
# off (a diagnostic: without the WAL flush). SPLIT=1: what the table's two indexes cost instead.
set -euo pipefail
db="commit_cost_$(date +%s)"
psql -qc "CREATE DATABASE $db" >/dev/null
trap 'psql -qc "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
psql -d "$db" -q >/dev/null <<'SQL'
CREATE TABLE event_journal(ordering BIGSERIAL, persistence_id VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL, writer VARCHAR(255) NOT NULL, write_timestamp BIGINT,
  adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL, event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL, meta_ser_id INTEGER, meta_ser_manifest VARCHAR(255), meta_payload BYTEA,
  PRIMARY KEY(persistence_id, sequence_number));
CREATE UNIQUE INDEX event_journal_ordering_idx ON event_journal(ordering);
CREATE SEQUENCE seq;
CREATE PROCEDURE insert_and_commit(statements int, rows int) LANGUAGE plpgsql AS $$
BEGIN
  FOR k IN 1..statements LOOP
    INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer, write_timestamp, adapter_manifest,
        event_ser_id, event_ser_manifest, event_payload)
      SELECT 'FunctionEntity|bench-fn-' || ((k + i) % 100), nextval('seq'), false,
          '3f1c2a9e-0b6d-4f0e-9a57-2c1d8e7b6a50', 1700000000000, '', 33, 'A', decode(repeat('ab', 180), 'hex')
      FROM generate_series(1, rows) i;
    COMMIT;
  END LOOP;
END $$;
SQL

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# measure STATEMENTS ROWS on|off: one session runs the procedure between two sleeps; this shell reads its CPU.
measure() {
  printf "SET application_name = 'commit-cost';\nSET synchronous_commit = %s;\nSELECT pg_sleep(1);\nCALL insert_and_commit(%d, %d);\nSELECT pg_sleep(3);\n" \
    "$3" "$1" "$2" | psql -d "$db" -q >/dev/null &
  local session=$! pid=""
  for _ in $(seq 1 50); do
    pid=$(psql -d "$db" -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = 'commit-cost'")
    [ -n "$pid" ] && break; sleep 0.1
  done
  local before; before=$(ticks "$pid")
  until psql -d "$db" -Atc "SELECT query FROM pg_stat_activity WHERE pid = $pid" | grep -q CALL; do sleep 0.05; done
  while psql -d "$db" -Atc "SELECT query FROM pg_stat_activity WHERE pid = $pid" | grep -q CALL; do sleep 0.1; done
  local after; after=$(ticks "$pid")
  local us=$(( (after - before) * 1000000 / hz ))
  echo "synchronous_commit=$3 statements=$1 rows_per_statement=$2 cpu_us_per_statement=$(( us / $1 )) cpu_us_per_row=$(( us / ($1 * $2) ))"
  wait "$session"
}

if [ "${SPLIT:-0}" = 1 ]; then
  # What each index costs a statement of 18 rows: the same inserts, indexes dropped one after the other.
  variant() { psql -d "$db" -qc "TRUNCATE event_journal" >/dev/null; echo "== $1"; measure 1000 18 on; measure 1000 18 on; }
  variant "the journal's table"
  psql -d "$db" -qc "DROP INDEX event_journal_ordering_idx" >/dev/null; variant "without the ordering index"
  psql -d "$db" -qc "ALTER TABLE event_journal DROP CONSTRAINT event_journal_pkey" >/dev/null; variant "without the primary key too"
  exit 0
fi

for round in 1 2; do
  measure 3000 1 on; measure 1000 18 on; measure 3000 1 off; measure 1000 18 off
done
