#!/bin/sh
# Probe of the redis-server or sentinel on 127.0.0.1:<port>, as Bitnami's chart probes them.
#   health.sh <port> ready   ready when it answers PONG
#   health.sh <port> live    alive when it answers at all: LOADING (reading its dataset) and MASTERDOWN (a
#                            replica without its master) are alive, and restarting them would not help
# The password comes in REDISCLI_AUTH (the container's environment), never on a command line.
port=$1 mode=$2
reply=$(timeout 3 redis-cli -h 127.0.0.1 -p "$port" ping 2>&1 | head -n 1)
[ "$reply" = PONG ] && exit 0
if [ "$mode" = live ]; then
  case "$reply" in
    LOADING* | MASTERDOWN* | "(error) LOADING"* | "(error) MASTERDOWN"*) exit 0 ;;
  esac
fi
echo "${reply:-no reply from 127.0.0.1:$port}"
exit 1
