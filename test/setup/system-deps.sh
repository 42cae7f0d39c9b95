#!/usr/bin/env bash
# What the tests need from the operating system, installed when missing, so that
# `npm install && npm test` passes on a fresh machine (not only in .ci/run):
#   chromium  — the browser tests drive Debian's /usr/bin/chromium (test/web/harness.ts)
#   nftables  — the field harness drops packets with `nft … numgen random`
#   libnss3-tools — certutil, to trust a department CA in Chromium's NSS database (test/helpers/nss.ts)
#   postgresql — the shared engine of a scaled department: its registry contract tests, the
#                scaled smoke test and `npm run test:scaled` start servers from /usr/lib/postgresql
#                (bootstrap/src/cluster/local-engine.ts); the service Debian starts is not used
# Only Debian's packages: nothing here downloads a browser or a binary of its own.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing+=(nftables)
[ -x /usr/bin/certutil ] || missing+=(libnss3-tools)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "test set-up: missing ${missing[*]}; run as root or install them: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "test set-up: installing ${missing[*]} from Debian's packages" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
