#!/usr/bin/env bash
# A fresh Debian 12 machine in a chroot, to check that the README's two commands work on one:
#
#   sudo scripts/fresh-machine/chroot.sh build [dir]        # debootstrap + what a machine of this kind has
#   sudo scripts/fresh-machine/chroot.sh clone [dir] [branch]  # this checkout's branch into /root/hsc-jit
#   sudo scripts/fresh-machine/chroot.sh run [dir] 'cd /root/hsc-jit && npm ci && npm test'
#   sudo scripts/fresh-machine/chroot.sh umount [dir]
#
# dir defaults to /srv/fresh. The machine gets only what a new Debian host of this project's kind has
# before anyone touches it: git, ca-certificates, postgresql-15, redis-server, build tools, and the host's
# Node + npm (the project's scripts then run on the Node 24 that `npm ci` installs). Also copied from the
# host: the apt sources, resolv.conf, npm's config, and any extra CA the host trusts (a TLS-inspecting
# proxy's). No git identity, no locale, no test tools: `npm test` must install those it needs itself.
# `run` starts a login shell with an empty environment, so nothing of the caller's leaks in.
set -euo pipefail
cmd="${1:?build|clone|run|umount}"
root="${2:-/srv/fresh}"

mount_all() {
  # The root a mount point of its own, as on a real machine: `unshare --mount-proc` (the entry-point
  # tests) makes / private and fails with EINVAL on a root that is a plain directory.
  mountpoint -q "$root" || mount --rbind "$root" "$root"
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  local m
  for m in sys dev dev/pts dev/shm; do mountpoint -q "$root/$m" || mount --bind "/$m" "$root/$m"; done
}

umount_all() {
  local m
  for m in dev/shm dev/pts dev sys proc; do mountpoint -q "$root/$m" && umount -l "$root/$m"; done
  while mountpoint -q "$root"; do umount -l "$root"; done
  return 0
}

in_root() {
  mount_all
  chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -lc "$1"
}

# The CAs the host trusts beyond Debian's list (a proxy's), added the way an admin would add them.
copy_extra_cas() {
  python3 - "$root" <<'PY'
import re, subprocess, sys
def certs(path):
    return re.findall(r'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----', open(path).read(), re.S)
root = sys.argv[1]
debian = set(certs(f'{root}/etc/ssl/certs/ca-certificates.crt'))
for i, cert in enumerate(c for c in certs('/etc/ssl/certs/ca-certificates.crt') if c not in debian):
    open(f'{root}/usr/local/share/ca-certificates/host-{i}.crt', 'w').write(cert + '\n')
PY
  in_root update-ca-certificates >/dev/null
}

case "$cmd" in
build)
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
  [ -x "$root/bin/bash" ] || debootstrap --include=ca-certificates bookworm "$root" http://deb.debian.org/debian
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  if [ -d /etc/apt/sources.list.d ]; then cp /etc/apt/sources.list.d/* "$root/etc/apt/sources.list.d/" 2>/dev/null || true; fi
  if [ -f /etc/apt/sources.list ]; then cp /etc/apt/sources.list "$root/etc/apt/sources.list"; fi
  find "$root/etc/apt/sources.list.d" -name '*.disabled*' -delete
  in_root 'DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git ca-certificates postgresql-15 redis-server python3 make g++ >/dev/null'
  copy_extra_cas
  # The host's Node and npm, as installed under its prefix (…/bin/node, …/lib/node_modules/npm).
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  mkdir -p "$root/usr/lib/node_modules" "$root/usr/include" "$root/usr/etc"
  cp -a "$prefix/bin/node" "$root/usr/bin/node"
  cp -a "$prefix/lib/node_modules/npm" "$root/usr/lib/node_modules/"
  [ -d "$prefix/include/node" ] && cp -a "$prefix/include/node" "$root/usr/include/"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
  for f in /etc/npmrc /usr/etc/npmrc /root/.npmrc; do [ -f "$f" ] && cp "$f" "$root$f"; done
  in_root 'node -v && npm -v'
  ;;
clone)
  here="$(git -C "${0%/*}" rev-parse --show-toplevel)"
  rev="${3:-$(git -C "$here" symbolic-ref --short HEAD)}"
  git -C "$here" bundle create "$root/tmp/hsc-jit.bundle" HEAD "$rev"
  rm -rf "$root/root/hsc-jit"
  in_root 'git clone -q /tmp/hsc-jit.bundle /root/hsc-jit && git -C /root/hsc-jit log --oneline -1'
  ;;
run) in_root "${3:?a command}" ;;
umount) umount_all ;;
*) echo "unknown command $cmd" >&2 && exit 2 ;;
esac
