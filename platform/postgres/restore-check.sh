#!/bin/sh
# The weekly restore check (platform/postgres/restore-check.ts): restores the newest base backup and the
# archived WAL from the object store into a throwaway Cluster, asks it a question only a real copy of the
# database can answer, and removes it again. The CronJob's success is the metric
# (kube_cronjob_status_last_successful_time); PostgresRestoreCheckFailing fires when it stops succeeding.
set -eu
: "${NAMESPACE:?}" "${CHECK_CLUSTER:?}" "${DATABASE:?}" "${CHECK_SQL:?}" "${TIMEOUT_SECONDS:?}" "${MANIFEST:?}"

k() { kubectl --namespace "$NAMESPACE" "$@"; }
remove() { k delete cluster "$CHECK_CLUSTER" --ignore-not-found --wait=true --timeout=600s >/dev/null; }

# A run that was killed (deadline, node loss) may have left its Cluster behind: start clean, end clean.
remove
trap remove EXIT
started=$(date +%s)
k apply -f "$MANIFEST"
echo "restore check: restoring the newest base backup and the archived WAL into Cluster $CHECK_CLUSTER"
k wait "cluster/$CHECK_CLUSTER" --for=condition=Ready --timeout="${TIMEOUT_SECONDS}s"
answer=$(k exec "$CHECK_CLUSTER-1" -c postgres -- psql --no-psqlrc --quiet -d "$DATABASE" -tAc "$CHECK_SQL")
echo "restore check: Ready after $(($(date +%s) - started)) s; \"$CHECK_SQL\" answered \"$answer\""
if [ "$answer" != t ]; then
  echo "restore check FAILED: the restored database does not hold what the live one does" >&2
  exit 1
fi
echo "restore check passed"
