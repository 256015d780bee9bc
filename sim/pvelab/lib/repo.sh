# pvelab: the local apt repository of test packages (packages.list), built with dpkg-deb and cached by
# content; each node's apt pointed at it alone, so real apt-get works offline and fast.

# Prints the cache folder of the repository for the current packages.list, building it when missing.
# Concurrent labs may build at once: each builds aside and the first rename wins.
EnsureRepo() {
  local key dir tmp
  key=$(cat "$PVELAB_HOME/packages.list" "$PVELAB_HOME/lib/repo.sh" | sha256sum | cut -c1-16)
  dir=$PVELAB_CACHE/repo-$key
  if [ ! -f "$dir/.complete" ]; then
    mkdir -p "$PVELAB_CACHE"
    tmp=$(mktemp -d "$PVELAB_CACHE/.build.XXXXXX")
    BuildRepo "$tmp" >"$tmp.log" 2>&1 || { cat "$tmp.log" >&2; rm -rf "$tmp" "$tmp.log"; Die "building the apt repository failed"; }
    rm -f "$tmp.log"
    # Readable by apt's unprivileged download user too (mktemp made it 0700).
    chmod 0755 "$tmp"
    touch "$tmp/.complete"
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  fi
  touch "$dir"  # in use: `gc` prunes cache entries untouched for a week
  echo "$dir"
}

# Builds every package of packages.list into TMP, then the flat repository's index (Packages, Release).
BuildRepo() {
  local tmp=$1 name version depends root
  mkdir -p "$tmp/pool" "$tmp/build"
  while read -r name version depends; do
    case $name in ''|'#'*|@*) continue ;; esac
    root=$tmp/build/${name}_$version
    mkdir -p "$root/DEBIAN" "$root/usr/share/hainfra-lab/$name"
    echo "$version" >"$root/usr/share/hainfra-lab/$name/VERSION"
    {
      echo "Package: $name"
      echo "Version: $version"
      echo "Architecture: all"
      echo "Maintainer: hainfra pvelab <pvelab@localhost>"
      echo "Section: misc"
      echo "Priority: optional"
      [ "$depends" != - ] && echo "Depends: $depends"
      echo "Description: hainfra lab test package $name $version"
      echo " A harmless package of the pvelab test repository: it installs one VERSION file."
    } >"$root/DEBIAN/control"
    dpkg-deb --root-owner-group -Zgzip --build "$root" "$tmp/pool/${name}_${version}_all.deb" >/dev/null
  done <"$PVELAB_HOME/packages.list"
  rm -rf "$tmp/build"
  (cd "$tmp" && dpkg-scanpackages --multiversion pool /dev/null >Packages 2>/dev/null)
  [ -s "$tmp/Packages" ] || { echo "dpkg-scanpackages wrote no Packages file"; return 1; }
  {
    echo "Origin: hainfra-pvelab"
    echo "Label: hainfra-pvelab"
    echo "Suite: pvelab"
    echo "Codename: pvelab"
    echo "Date: $(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
    echo "Architectures: all amd64"
    echo "SHA256:"
    echo " $(sha256sum "$tmp/Packages" | cut -d' ' -f1) $(stat -c %s "$tmp/Packages") Packages"
  } >"$tmp/Release"
}

SourcesLine() { echo "deb [trusted=yes] file:$1 ./"; }

# The node's apt configuration, in its /etc upper layer.
WriteAptFiles() {
  local up=$2
  SourcesLine "$LAB_REPO" >"$up/etc/apt/sources.list"
  cat >"$up/etc/apt/apt.conf.d/99pvelab" <<'EOF'
// pvelab: offline and quiet; the only source is the lab's local repository.
Acquire::Languages "none";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dpkg::Use-Pty "false";
EOF
}

# `apt-get update` on node INDEX: reads the local repository only (about 0.1 s).
AptUpdate() {
  InNode "$1" apt-get update -qq >"$(NodeDir "$1")/apt-update.log" 2>&1 ||
    Die "node $(NodeName "$1"): apt-get update failed: $(cat "$(NodeDir "$1")/apt-update.log")"
}

# The baseline (the @baseline line of packages.list) as a node's upper layers hold it once installed:
# var-lib-dpkg/ and usr/share/hainfra-lab/. Keyed by the host's dpkg database, the repository and the
# baseline, so a change to any of them makes a new one. The first lab installs with dpkg and saves it;
# later labs copy it into each node's upper layers before mounting (no dpkg run at setup).
BaselineTemplate() {
  local key
  key=$({ cat /var/lib/dpkg/status; echo "$LAB_REPO"; grep '^@baseline' "$PVELAB_HOME/packages.list"; } |
    sha256sum | cut -c1-16)
  echo "$PVELAB_CACHE/baseline-$key"
}

# Copies a saved baseline into node INDEX's upper layers (before its overlays are mounted); false if none.
SeedBaseline() {
  local up=$2 tpl
  tpl=$(BaselineTemplate)
  [ -f "$tpl/.complete" ] || return 1
  touch "$tpl"
  cp -a "$tpl/var-lib-dpkg/." "$up/var-lib-dpkg/"
  mkdir -p "$up/usr/share"
  cp -a "$tpl/usr-share-hainfra-lab" "$up/usr/share/hainfra-lab"
  touch "$(NodeDir "$1")/baseline.seeded"
}

# Installs the baseline on node INDEX with dpkg, unless it was seeded; node 1 then saves the template.
InstallBaseline() {
  local i=$1 spec debs="" p dir tpl tmp
  dir=$(NodeDir "$i")
  [ -f "$dir/baseline.seeded" ] && return 0
  spec=$(awk '$1 == "@baseline" { $1 = ""; print }' "$PVELAB_HOME/packages.list")
  for p in $spec; do
    debs="$debs $LAB_REPO/pool/${p%%=*}_${p#*=}_all.deb"
  done
  [ -n "$debs" ] || return 0
  # shellcheck disable=SC2086
  InNode "$i" dpkg -i --force-depends $debs >"$dir/baseline.log" 2>&1 ||
    Die "node $(NodeName "$i"): installing the baseline failed: $(cat "$dir/baseline.log")"
  [ "$i" = 1 ] || return 0
  tpl=$(BaselineTemplate)
  [ -f "$tpl/.complete" ] && return 0
  tmp=$(mktemp -d "$PVELAB_CACHE/.baseline.XXXXXX")
  # The upper layers of a mounted overlay are only read here.
  cp -a "$dir/upper/var-lib-dpkg" "$tmp/var-lib-dpkg"
  rm -f "$tmp/var-lib-dpkg/lock" "$tmp/var-lib-dpkg/lock-frontend" "$tmp/var-lib-dpkg/triggers/Lock"
  cp -a "$dir/upper/usr/share/hainfra-lab" "$tmp/usr-share-hainfra-lab"
  chmod 0755 "$tmp"
  touch "$tmp/.complete"
  mv -T "$tmp" "$tpl" 2>/dev/null || rm -rf "$tmp"
}
