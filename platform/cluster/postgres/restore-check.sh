#!/bin/sh
# The weekly restore check (platform/cluster/postgres/restore-check.ts): restores the newest base backup and the
# archived WAL from the object store into a throwaway Cluster, asks it a question only a real copy of the
# database can answer, and removes it again. The CronJob's success is the metric
# (kube_cronjob_status_last_successful_time); PostgresRestoreCheckFailing fires when it stops succeeding.
# On failure the Job's log ends with the Cluster's status and its instance's log, and the Cluster is kept
# for inspection until the next run (or a person) removes it. The runbook quotes these messages.
set -eu
: "${NAMESPACE:?}" "${CHECK_CLUSTER:?}" "${DATABASE:?}" "${CHECK_SQL:?}" "${TIMEOUT_SECONDS:?}" "${MANIFEST:?}"

k() { kubectl --namespace "$NAMESPACE" "$@"; }
remove() { k delete cluster "$CHECK_CLUSTER" --ignore-not-found --wait=true --timeout=600s >/dev/null; }
fail() {
  echo "restore check FAILED: $1" >&2
  echo "restore check: status of Cluster $CHECK_CLUSTER:" >&2
  k get cluster "$CHECK_CLUSTER" -o jsonpath='{.status.phase}{": "}{.status.phaseReason}{"\n"}{range .status.conditions[*]}{.type}{"="}{.status}{" "}{.message}{"\n"}{end}' >&2 || true
  echo "restore check: last lines of $CHECK_CLUSTER-1's log:" >&2
  k logs "$CHECK_CLUSTER-1" -c postgres --tail=100 >&2 || echo "(no instance pod: the recovery never got that far)" >&2
  echo "restore check: Cluster $CHECK_CLUSTER is kept for inspection; the next run removes it" >&2
  exit 1
}

# A run that failed (kept its Cluster) or was killed (deadline, node loss) may have left it behind: start clean.
remove
started=$(date +%s)
k apply -f "$MANIFEST"
echo "restore check: restoring the newest base backup and the archived WAL into Cluster $CHECK_CLUSTER"
k wait "cluster/$CHECK_CLUSTER" --for=condition=Ready --timeout="${TIMEOUT_SECONDS}s" ||
  fail "Cluster $CHECK_CLUSTER never became Ready within $TIMEOUT_SECONDS s"
answer=$(k exec "$CHECK_CLUSTER-1" -c postgres -- psql --no-psqlrc --quiet -d "$DATABASE" -tAc "$CHECK_SQL") ||
  fail "the query could not run on the restored database"
echo "restore check: Ready after $(($(date +%s) - started)) s; \"$CHECK_SQL\" answered \"$answer\""
[ "$answer" = t ] || fail "the restored database does not hold what the live one does (answered \"$answer\")"
remove
echo "restore check passed"
