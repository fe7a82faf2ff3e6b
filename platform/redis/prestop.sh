#!/bin/sh
# preStop of a Redis data node: a master being stopped on purpose hands its role over first, so a rolling
# restart costs no failed and no lost writes (Bitnami's chart does the same).
#  1. Writes here are paused (CLIENT PAUSE WRITE): nothing is acknowledged by this node from now on, so
#     the replica the sentinels promote has every acknowledged write.
#  2. A sentinel is asked to fail over (SENTINEL FAILOVER): the first of SENTINEL_HOSTS that accepts, since
#     this pod's own sentinel is being stopped at the same moment.
#  3. As soon as the sentinels name the new master, this node follows it and drops its clients, which is
#     what the sentinels would do on their next check of it (up to 10 s later): the clients' paused writes
#     were never executed, they reconnect through the sentinels and the new master acknowledges them.
# A replica, a single node (nothing to promote) or a failover that does not happen in time: writes are
# unpaused and the node stops as it would have without this hook.
#
# Environment: TEMPLATE_DIR (the rendered redis.conf and sentinel.conf), SENTINEL_HOSTS (host:port, comma
# or space separated), REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD (optional, from the Secret),
# HANDOVER_SECONDS (default 20).
set -u
: "${TEMPLATE_DIR:?}" "${SENTINEL_HOSTS:?}"
wait_s=${HANDOVER_SECONDS:-20}
redis_port=$(awk '$1 == "port" { print $2; exit }' "$TEMPLATE_DIR/redis.conf")
master_name=$(awk '$1 == "sentinel" && $2 == "monitor" { print $3; exit }' "$TEMPLATE_DIR/sentinel.conf")
redis() { env ${REDIS_PASSWORD:+"REDISCLI_AUTH=$REDIS_PASSWORD"} timeout 3 redis-cli --raw -h 127.0.0.1 -p "$redis_port" "$@"; }
sentinel() { # sentinel <host:port> <command...>
  at=$1
  shift
  env ${REDIS_SENTINEL_PASSWORD:+"REDISCLI_AUTH=$REDIS_SENTINEL_PASSWORD"} timeout 3 redis-cli --raw -h "${at%:*}" -p "${at##*:}" "$@"
}
master_of() { sentinel "$1" SENTINEL get-master-addr-by-name "$master_name" 2>/dev/null | tr '\n' ' '; }

[ "$(redis ROLE 2>/dev/null | head -n 1)" = master ] || exit 0
echo "prestop: this node is the master; pausing writes and asking a sentinel to fail over"
redis CLIENT PAUSE "$((wait_s * 1000))" WRITE >/dev/null
chosen='' self=''
for at in $(echo "$SENTINEL_HOSTS" | tr ',' ' '); do
  self=$(master_of "$at")
  [ -n "$self" ] || continue
  reply=$(sentinel "$at" SENTINEL FAILOVER "$master_name" 2>&1)
  if [ "$reply" = OK ]; then
    chosen=$at
    break
  fi
  echo "prestop: sentinel $at: $reply"
done
if [ -z "$chosen" ]; then
  echo "prestop: no sentinel started a failover; stopping without a handover"
  redis CLIENT UNPAUSE >/dev/null
  exit 0
fi
deadline=$(($(date +%s) + wait_s))
while [ "$(date +%s)" -lt "$deadline" ]; do
  current=$(master_of "$chosen")
  if [ -n "$current" ] && [ "$current" != "$self" ]; then
    set -- $current
    redis REPLICAOF "$1" "$2" >/dev/null
    redis CLIENT KILL TYPE normal >/dev/null
    redis CLIENT KILL TYPE pubsub >/dev/null
    echo "prestop: handed over to $1:$2"
    exit 0
  fi
  sleep 0.05
done
echo "prestop: the sentinels named no new master within ${wait_s}s; stopping without a handover"
redis CLIENT UNPAUSE >/dev/null
exit 0
