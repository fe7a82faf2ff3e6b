#!/bin/sh
# Writes this node's runtime redis.conf and sentinel.conf into $CONF_DIR from the rendered templates in
# $TEMPLATE_DIR, pointing both at the CURRENT master: the sentinels are asked first (so a restarted old
# master rejoins as a replica instead of coming back as a second master); only when no sentinel answers
# (a brand-new cluster) is the seed master of sentinel.conf used.
#
# Environment: SELF_HOST (this node's announced host name), SENTINEL_HOSTS (host:port, comma or space
# separated), TEMPLATE_DIR, CONF_DIR, REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD (optional, from the Secret:
# the data nodes' and the sentinels' own).
set -eu
: "${SELF_HOST:?}" "${SENTINEL_HOSTS:?}" "${TEMPLATE_DIR:?}" "${CONF_DIR:?}"

setting() { awk -v key="$1" '$1 == key { print $2; exit }' "$2"; }
redis_port=$(setting port "$TEMPLATE_DIR/redis.conf")
sentinel_port=$(setting port "$TEMPLATE_DIR/sentinel.conf")
monitor=$(awk '$1 == "sentinel" && $2 == "monitor" { print $3, $4, $5, $6; exit }' "$TEMPLATE_DIR/sentinel.conf")
set -- $monitor
master_name=$1 master_host=$2 master_port=$3 quorum=$4

# Ask each sentinel for the master; the first answer wins.
for sentinel in $(echo "$SENTINEL_HOSTS" | tr ',' ' '); do
  reply=$(env ${REDIS_SENTINEL_PASSWORD:+"REDISCLI_AUTH=$REDIS_SENTINEL_PASSWORD"} timeout 3 redis-cli -h "${sentinel%:*}" -p "${sentinel##*:}" --raw SENTINEL get-master-addr-by-name "$master_name" 2>/dev/null || true)
  host=$(echo "$reply" | sed -n 1p)
  port=$(echo "$reply" | sed -n 2p)
  if [ -n "$host" ] && [ -n "$port" ] && [ "$port" -eq "$port" ] 2>/dev/null; then
    master_host=$host master_port=$port
    echo "bootstrap: sentinel $sentinel reports master $master_host:$master_port"
    break
  fi
done

mkdir -p "$CONF_DIR"
{
  cat "$TEMPLATE_DIR/redis.conf"
  echo "replica-announce-ip $SELF_HOST"
  echo "replica-announce-port $redis_port"
  if [ -n "${REDIS_PASSWORD:-}" ]; then
    echo "requirepass \"$REDIS_PASSWORD\""
    echo "masterauth \"$REDIS_PASSWORD\""
  fi
  if [ "$master_host" = "$SELF_HOST" ] && [ "$master_port" = "$redis_port" ]; then
    echo "# bootstrap: this node is the master"
  else
    echo "replicaof $master_host $master_port"
  fi
} > "$CONF_DIR/redis.conf"

{
  # The monitor line is replaced in place: the per-master settings after it must follow it.
  awk -v line="sentinel monitor $master_name $master_host $master_port $quorum" \
    '$1 == "sentinel" && $2 == "monitor" { print line; next } { print }' "$TEMPLATE_DIR/sentinel.conf"
  echo "sentinel announce-ip $SELF_HOST"
  echo "sentinel announce-port $sentinel_port"
  if [ -n "${REDIS_PASSWORD:-}" ]; then echo "sentinel auth-pass $master_name \"$REDIS_PASSWORD\""; fi
  # Clients and the other sentinels must authenticate to this sentinel, and it to them.
  if [ -n "${REDIS_SENTINEL_PASSWORD:-}" ]; then
    echo "requirepass \"$REDIS_SENTINEL_PASSWORD\""
    echo "sentinel sentinel-pass \"$REDIS_SENTINEL_PASSWORD\""
  fi
} > "$CONF_DIR/sentinel.conf"
chmod 600 "$CONF_DIR/redis.conf" "$CONF_DIR/sentinel.conf"
echo "bootstrap: $SELF_HOST:$redis_port configured, master $master_host:$master_port"
