#!/bin/sh
set -eu
if [ "${1:-}" = redis-server ] && [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data
  shift
  case "${1:-}" in
    *.conf) exec setpriv --reuid=redis --regid=redis --init-groups redis-server "$@" ;;
    *) exec setpriv --reuid=redis --regid=redis --init-groups redis-server --protected-mode no "$@" ;;
  esac
fi
exec "$@"
