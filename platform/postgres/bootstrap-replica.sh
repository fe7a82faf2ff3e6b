#!/bin/sh
# The replica's entry point. First start (empty $PGDATA): wait for the primary, clone it with
# pg_basebackup as the replication role (-R writes standby.signal and primary_conninfo, so the clone
# starts as a streaming hot standby). Every start: exec postgres with the rendered configuration.
#
# Environment: PGDATA, CONFIG_DIR, PRIMARY_HOST, PRIMARY_PORT, REPLICATION_PASSWORD.
set -eu
: "${PGDATA:?}" "${CONFIG_DIR:?}" "${PRIMARY_HOST:?}" "${PRIMARY_PORT:?}" "${REPLICATION_PASSWORD:?}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  attempts=0
  until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do
    attempts=$((attempts + 1))
    if [ "$attempts" -ge 300 ]; then echo "bootstrap-replica: primary $PRIMARY_HOST:$PRIMARY_PORT not ready after 300 tries" >&2; exit 1; fi
    sleep 1
  done
  echo "bootstrap-replica: cloning $PRIMARY_HOST:$PRIMARY_PORT into $PGDATA"
  rm -rf "$PGDATA"
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast
  chmod 700 "$PGDATA"
fi
exec postgres -D "$PGDATA" -c config_file="$CONFIG_DIR/postgresql.conf" -c hba_file="$CONFIG_DIR/pg_hba.conf"
