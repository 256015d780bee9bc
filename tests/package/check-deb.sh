#!/bin/sh
# Checks the Debian package of `./dev package` (also CTest's `package.deb`, label package):
#   tests/package/check-deb.sh BUILD_DIR
# Unpacks the newest hainfra_*.deb of BUILD_DIR into a scratch root with `dpkg -x` (no installation on
# this host), then: the package depends on the Debian package of every library the binary links; the
# binary runs from there (`--version`, `validate` of the packaged example); the man page and completions
# are in place; the systemd units pass `systemd-analyze verify` (skipped, saying why, without it).
# Exit 0: fine; 1: a check failed; 77: no package built yet (CTest: skipped).
set -eu
build=${1:?usage: check-deb.sh BUILD_DIR}
deb=$(ls -t "$build"/hainfra_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
  echo "skipped: no hainfra_*.deb in $build (./dev package builds it)"
  exit 77
fi
root=$(mktemp -d /tmp/hainfra-deb-XXXXXX)
trap 'rm -rf "$root"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
ok() { echo "ok: $*"; }

echo "checking $deb"
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin/hainfra
[ -x "$bin" ] || { echo "FAIL: no usr/bin/hainfra in $deb"; exit 1; }

# Dependencies: the package of each shared library the binary links directly (its NEEDED entries, as
# this host resolves them).
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for needed in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  lib=$(ldd "$bin" | awk -v n="$needed" '$1 == n && $3 ~ /^\// { print $3 }')
  [ -n "$lib" ] || { fail "$needed is not found on this host"; continue; }
  # merged /usr: dpkg may know the library by its /lib or by its /usr/lib path
  pkg=$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1)
  [ -n "$pkg" ] || pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1)
  [ -n "$pkg" ] || { fail "$lib belongs to no Debian package"; continue; }
  case ", $depends," in
    *", $pkg "*|*", $pkg,"*) ok "links $(basename "$lib") from $pkg, a dependency" ;;
    *) fail "links $(basename "$lib") from $pkg, which Depends does not name" ;;
  esac
done

# The maintainer scripts: systemd reloads after install and removal, the timer stops before removal.
control=$root/control
dpkg-deb -e "$deb" "$control"
for script in postinst prerm postrm; do
  if [ -x "$control/$script" ] && sh -n "$control/$script"; then ok "$script"; else fail "$script is missing or broken"; fi
done
grep -q 'disable --now hainfra-enforce.timer' "$control/prerm" && ok "prerm stops the timer" || fail "prerm leaves the timer"

# The binary runs from the scratch root.
version=$("$bin" --version) && ok "$version" || fail "hainfra --version"
example=$root/usr/share/doc/hainfra/examples/minimal.yaml
if "$bin" validate -f "$example" >/dev/null; then ok "validate $example"; else fail "validate $example"; fi

for f in usr/share/man/man1/hainfra.1 usr/share/bash-completion/completions/hainfra \
         usr/share/zsh/vendor-completions/_hainfra usr/lib/systemd/system/hainfra-enforce.service \
         usr/lib/systemd/system/hainfra-enforce.timer usr/share/doc/hainfra/examples/enforce.env; do
  if [ -s "$root/$f" ]; then ok "/$f"; else fail "/$f is missing"; fi
done
grep -q '^ExecStart=/usr/bin/hainfra enforce ' "$root/usr/lib/systemd/system/hainfra-enforce.service" \
  && ok "the service runs /usr/bin/hainfra" || fail "the service does not run /usr/bin/hainfra"

# systemd-analyze verify checks that ExecStart's program exists on this host: point it at the unpacked one.
if command -v systemd-analyze >/dev/null 2>&1; then
  units=$root/verify
  mkdir -p "$units"
  sed "s|^ExecStart=/usr/bin/hainfra |ExecStart=$bin |" "$root/usr/lib/systemd/system/hainfra-enforce.service" \
    >"$units/hainfra-enforce.service"
  cp "$root/usr/lib/systemd/system/hainfra-enforce.timer" "$units/"
  out=$(systemd-analyze verify --man=no --generators=no "$units/hainfra-enforce.service" \
        "$units/hainfra-enforce.timer" 2>&1) && [ -z "$out" ] \
    && ok "systemd-analyze verify: the units are clean" || fail "systemd-analyze verify: $out"
else
  echo "skipped: systemd-analyze verify (no systemd-analyze on this host)"
fi

[ "$failed" -eq 0 ] && echo "the package is fine: $deb" || echo "the package has problems: $deb"
exit "$failed"
