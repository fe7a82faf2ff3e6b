#!/bin/sh
# preStop of a Redis data node: a master being stopped on purpose hands its role over first, so a rolling
# restart costs no failed and no lost writes (Bitnami's chart does the same).
#  1. Writes here are paused (CLIENT PAUSE WRITE): nothing is acknowledged by this node from now on, so
#     the replica the sentinels promote has every acknowledged write.
#  2. A sentinel is asked to fail over (SENTINEL FAILOVER): the first of SENTINEL_HOSTS that answers, since
#     this pod's own sentinel is being stopped at the same moment; timed so that the sentinel's next
#     once-a-second check of the promoted replica comes right after the promotion.
#  3. As soon as the sentinels name the new master, this node follows it and drops its clients, which is
#     what the sentinels would do on their next check of it (up to 10 s later): the clients' paused writes
#     were never executed, they reconnect through the sentinels (at once: app/adapters/redis/connect.ts) and the
#     new master acknowledges them.
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
# The same without the `env` and `timeout` wrappers, for the two calls between pausing writes and the
# failover request: every process started there widens the write pause (tens of ms each on a busy node),
# and both servers have just answered.
if [ -n "${REDIS_PASSWORD:-}" ]; then
  redis_now() { REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --raw -h 127.0.0.1 -p "$redis_port" "$@"; }
else
  redis_now() { redis-cli --raw -h 127.0.0.1 -p "$redis_port" "$@"; }
fi
if [ -n "${REDIS_SENTINEL_PASSWORD:-}" ]; then
  sentinel_now() { REDISCLI_AUTH=$REDIS_SENTINEL_PASSWORD redis-cli --raw -h "${1%:*}" -p "${1##*:}" SENTINEL FAILOVER "$master_name"; }
else
  sentinel_now() { redis-cli --raw -h "${1%:*}" -p "${1##*:}" SENTINEL FAILOVER "$master_name"; }
fi
master_of() { sentinel "$1" SENTINEL get-master-addr-by-name "$master_name" 2>/dev/null | tr '\n' ' '; }

# How long ago (ms) the sentinel at $1 last read INFO from the replica it would promote: the one it ranks
# first (replica-priority, then the replication offset it saw, then run id), skipping ones it cannot use.
promotee_info_age() {
  sentinel "$1" SENTINEL REPLICAS "$master_name" 2>/dev/null | awk '
    NR % 2 == 1 { key = $0; next }
    { if (key == "name") n++; v[n, key] = $0 }
    function better(a, b) {
      if (v[a, "slave-priority"] + 0 != v[b, "slave-priority"] + 0) return v[a, "slave-priority"] + 0 < v[b, "slave-priority"] + 0
      if (v[a, "slave-repl-offset"] + 0 != v[b, "slave-repl-offset"] + 0) return v[a, "slave-repl-offset"] + 0 > v[b, "slave-repl-offset"] + 0
      return v[a, "run-id"] < v[b, "run-id"]
    }
    END {
      best = 0
      for (i = 1; i <= n; i++) {
        if (v[i, "flags"] ~ /s_down|o_down|disconnected/ || v[i, "slave-priority"] + 0 == 0) continue
        if (!best || better(i, best)) best = i
      }
      if (best) print v[best, "info-refresh"]
    }'
}

[ "$(redis ROLE 2>/dev/null | head -n 1)" = master ] || exit 0
# pick [<sentinel to skip>]: the first other sentinel that names a master (this pod's own one is being
# stopped at the same moment as this hook runs).
chosen='' self=''
pick() {
  for at in $(echo "$SENTINEL_HOSTS" | tr ',' ' '); do
    [ "$at" = "${1:-}" ] && continue
    self=$(master_of "$at")
    if [ -n "$self" ]; then
      chosen=$at
      return 0
    fi
  done
  return 1
}
if ! pick; then
  echo "prestop: no sentinel answers; stopping without a handover"
  exit 0
fi
# During a failover a sentinel reads the promoted replica's INFO once a second (fixed in Redis), and
# only then names it to clients. Writes flow while we wait (at most one 10 s INFO cycle) for the moment
# when that read will fall just after the promotion (two or three sentinel ticks after FAILOVER).
# The age grows with the clock between reads, so one reading says how long to sleep: sampling for the
# 100 ms window instead misses it on a busy node, where each reading costs more than that.
ms() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
phase_deadline=$(($(date +%s) + ${PHASE_SECONDS:-21}))
while [ "$(date +%s)" -lt "$phase_deadline" ]; do
  age=$(promotee_info_age "$chosen")
  if [ -z "$age" ]; then
    pick "$chosen" || break
    continue
  fi
  [ "$age" -ge 500 ] && [ "$age" -le 600 ] && break
  if [ "$age" -lt 500 ]; then
    sleep "$(ms $((500 - age)))"
    age="~500"
    break
  fi
  # Past the window: the next read comes at the latest 10 s after the last; look again just before.
  wait_ms=$((10000 - age - 300))
  [ "$wait_ms" -gt 0 ] && sleep "$(ms "$wait_ms")" || sleep 0.02
done
echo "prestop: this node is the master; pausing writes and asking sentinel $chosen to fail over (promotee INFO age ${age:-?} ms)"
redis_now CLIENT PAUSE "$((wait_s * 1000))" WRITE >/dev/null
reply=$(sentinel_now "$chosen" 2>&1)
if [ "$reply" != OK ] && pick "$chosen"; then
  reply=$(sentinel "$chosen" SENTINEL FAILOVER "$master_name" 2>&1)
fi
if [ "$reply" != OK ]; then
  echo "prestop: no failover ($reply); stopping without a handover"
  redis CLIENT UNPAUSE >/dev/null
  exit 0
fi
# The other sentinels learn the new master from the leader's hello a tick later; a client dropped before
# they have would ask one of them, be sent back here and wait for its next reconnect. So the clients are
# dropped once every sentinel that answers names the successor (at most ~15 rounds: this pod's own
# sentinel, being stopped, may still answer with the old view).
others_agree() { # others_agree <new master "host port ">
  for at in $(echo "$SENTINEL_HOSTS" | tr ',' ' '); do
    [ "$at" = "$chosen" ] && continue
    seen=$(master_of "$at")
    [ -z "$seen" ] || [ "$seen" = "$1" ] || return 1
  done
}
deadline=$(($(date +%s) + wait_s))
while [ "$(date +%s)" -lt "$deadline" ]; do
  current=$(master_of "$chosen")
  if [ -n "$current" ] && [ "$current" != "$self" ]; then
    tries=0
    until others_agree "$current" || [ "$tries" -ge 15 ]; do
      tries=$((tries + 1))
      sleep 0.01
    done
    set -- $current
    redis REPLICAOF "$1" "$2" >/dev/null
    redis CLIENT KILL TYPE normal >/dev/null
    redis CLIENT KILL TYPE pubsub >/dev/null
    echo "prestop: handed over to $1:$2"
    exit 0
  fi
  sleep 0.01
done
echo "prestop: the sentinels named no new master within ${wait_s}s; stopping without a handover"
redis CLIENT UNPAUSE >/dev/null
exit 0
