#!/usr/bin/env bash
# Make a working Pulumi CLI plus Python language host available, built from
# source through the Go module proxy (Pulumi's own download hosts are not
# reachable from our machines or CI).
#
# Usage:  scripts/build-pulumi.sh [VERSION]
#   VERSION defaults to $PULUMI_CLI_VERSION, else to the version of the
#   `pulumi` Python package installed for ${PYTHON:-python3}, else 3.272.0.
#
# The LAST line on stdout is the directory holding `pulumi`; everything else
# goes to stderr, so callers can do:
#   PATH="$(scripts/build-pulumi.sh | tail -n1):$PATH"
#
# Result is cached per target version in
#   ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-braket/pulumi-v<VERSION>/bin
# A warm run only verifies the cache (well under a second). A cold build
# (empty Go module and build caches) took about 8 minutes wall time on a
# 2-core machine, peaking under 2 GB of memory; nearly all of it is the CLI.
#
# Fallbacks (disable with PULUMI_BUILD_STRICT=1, which makes them fatal):
#   * The Go module proxy we can reach does not serve every release of
#     github.com/pulumi/pulumi/pkg/v3. If the exact release is refused, the
#     CLI is built from the nearest release the proxy does serve, preferring
#     a newer one (a newer engine is backward compatible with an older SDK).
#     The binary reports its real version, never the requested one.
#   * The Python language host module has no tags, so it can only be asked
#     for by the release's git commit (a pseudo-version). If the commit is
#     unknown or the proxy refuses that pseudo-version, the last language host
#     that was still part of the sdk/v3 module (v3.79.0) is built instead.
#     That older host ignores `runtime.options` in Pulumi.yaml (virtualenv,
#     toolchain): it runs the `python3` first on PATH, or $PULUMI_PYTHON_CMD,
#     so put the virtualenv's bin/ first on PATH when using it.
#   What was actually built is recorded in <cache>/BUILD-INFO.
#
# Other knobs: PULUMI_GIT_COMMIT (commit of the release, if already known).

set -euo pipefail

readonly DEFAULT_VERSION=3.272.0
readonly PKG_MOD=github.com/pulumi/pulumi/pkg/v3
readonly SDK_MOD=github.com/pulumi/pulumi/sdk/v3
readonly LANG_MOD=github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3
# The language host moved out of sdk/v3 into its own module in v3.80.0; this is
# the newest sdk/v3 release that still contains it as a package.
readonly LEGACY_LANG_SDK_VERSION=v3.79.0
readonly LEGACY_LANG_PKG=github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python
# Linker variable that `pulumi version` and the plugins' GetPluginInfo report.
readonly VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
# How many other pkg/v3 releases to try before giving up on a CLI fallback, so
# a broken proxy does not turn into dozens of requests.
readonly MAX_CLI_CANDIDATES=6

log() { printf 'build-pulumi: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
strict() { [[ ${PULUMI_BUILD_STRICT:-0} == 1 ]]; }

# --- which version do we want? ----------------------------------------------

target_version() {
  local v=${1:-${PULUMI_CLI_VERSION:-}}
  if [[ -z $v ]]; then
    # Match the SDK the project actually runs with, when one is installed.
    v=$("${PYTHON:-python3}" -c 'import importlib.metadata as m; print(m.version("pulumi"))' 2>/dev/null) || v=""
  fi
  v=${v:-$DEFAULT_VERSION}
  printf '%s\n' "${v#v}"
}

VERSION=$(target_version "${1:-}")
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  die "not a Pulumi version: '$VERSION'"

CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-braket
FINAL=$CACHE_ROOT/pulumi-v$VERSION
BINDIR=$FINAL/bin
readonly REQUIRED_FILES=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)

# --- reuse what is already there --------------------------------------------

# A pulumi on PATH at least as new as the target (newer engines accept older
# SDKs), with its bundled Python language host beside it, is used as it is:
# most users have one, and a Go build takes minutes. CI has none, so it builds.
version_at_least() { # $1 >= $2, both without the leading v
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n1)" == "$1" ]]
}
if existing=$(command -v pulumi 2>/dev/null); then
  existing_dir=$(dirname "$existing")
  existing_version=$(PULUMI_SKIP_UPDATE_CHECK=true "$existing" version 2>/dev/null || true)
  bundled=1
  for f in "${REQUIRED_FILES[@]:1}"; do
    [[ -x $existing_dir/$f ]] || bundled=0
  done
  if [[ $existing_dir != "$BINDIR" && $existing_version == v* ]]; then
    if ! version_at_least "${existing_version#v}" "$VERSION"; then
      log "pulumi $existing_version on PATH ($existing) is older than the SDK's v$VERSION; not using it"
    elif [[ $bundled == 1 ]]; then
      log "using pulumi $existing_version already on PATH ($existing), with its bundled Python language host"
      [[ -x $existing_dir/pulumi-language-yaml ]] ||
        log "note: no pulumi-language-yaml beside it, so YAML programs (examples/yaml-gitops) will not run"
      printf '%s\n' "$existing_dir"
      exit 0
    else
      log "pulumi $existing_version on PATH ($existing) has no Python language host beside it; using a build"
    fi
  fi
fi

# The cache directory only ever appears by an atomic rename of a finished
# build, but check it anyway so a hand-damaged cache gets rebuilt.
cache_ok() {
  local f
  for f in "${REQUIRED_FILES[@]}"; do
    [[ -x $BINDIR/$f ]] || return 1
  done
  PULUMI_SKIP_UPDATE_CHECK=true "$BINDIR/pulumi" version >/dev/null 2>&1
}

report_cache() {
  log "using cached build in $BINDIR ($(PULUMI_SKIP_UPDATE_CHECK=true "$BINDIR/pulumi" version))"
  if [[ -f $FINAL/BUILD-INFO ]]; then
    sed 's/^/build-pulumi:   /' "$FINAL/BUILD-INFO" >&2
  fi
  printf '%s\n' "$BINDIR"
}

# The Pulumi YAML language host, for YAML programs (the native provider plugin's
# examples): a module of its own with tags and no replace directives, so a plain
# `go install` from the proxy builds it (v1.25.0 is served). It goes into the
# cache beside the CLI, and is added to a cache built before it was needed
# without rebuilding the CLI.
readonly YAML_MOD=github.com/pulumi/pulumi-yaml
readonly YAML_VERSION=${PULUMI_YAML_VERSION:-v1.25.0}
ensure_yaml_host() {
  local dir=$1 gobin
  [[ -x $dir/pulumi-language-yaml ]] && return 0
  command -v go >/dev/null 2>&1 || die "go is needed to build pulumi-language-yaml"
  gobin=$(mktemp -d "$CACHE_ROOT/.yaml.tmp.XXXXXX")
  log "building pulumi-language-yaml $YAML_VERSION from $YAML_MOD"
  if ! GOBIN=$gobin GOFLAGS="-buildvcs=false" GOWORK=off CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X $YAML_MOD/pkg/version.Version=$YAML_VERSION" \
    "$YAML_MOD/cmd/pulumi-language-yaml@$YAML_VERSION" >&2; then
    rm -rf "$gobin"
    die "building pulumi-language-yaml $YAML_VERSION failed (see above)"
  fi
  mv -f "$gobin/pulumi-language-yaml" "$dir/pulumi-language-yaml"
  rm -rf "$gobin"
  if [[ -f $dir/../BUILD-INFO ]] && ! grep -q '^yaml_language_host=' "$dir/../BUILD-INFO"; then
    printf 'yaml_language_host=%s/cmd/pulumi-language-yaml@%s\n' "$YAML_MOD" "$YAML_VERSION" \
      >>"$dir/../BUILD-INFO"
  fi
}

if cache_ok; then
  mkdir -p "$CACHE_ROOT"
  ensure_yaml_host "$BINDIR"
  report_cache
  exit 0
fi

# --- cold path: build -------------------------------------------------------

command -v go >/dev/null 2>&1 ||
  die "go is not installed or not on PATH; it is needed to build Pulumi from source (a recent Go: Pulumi v3.27x needs go >= 1.26)"

mkdir -p "$CACHE_ROOT"
# Serialise concurrent runs for the same version; the loser then finds the
# winner's cache instead of building it a second time.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.pulumi-v$VERSION.lock"
  flock 9
  if cache_ok; then
    ensure_yaml_host "$BINDIR"
    report_cache
    exit 0
  fi
  # Holding the lock, any staging directory left for this version is from a
  # build that was killed too hard to clean up after itself.
  rm -rf "$CACHE_ROOT/.pulumi-v$VERSION.tmp."*
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/build-pulumi.XXXXXX")
# Staged next to the final directory so the closing rename stays on one
# filesystem and is atomic.
STAGE=$(mktemp -d "$CACHE_ROOT/.pulumi-v$VERSION.tmp.XXXXXX")
cleanup() { rm -rf "$WORK" ${STAGE:+"$STAGE"}; }
trap cleanup EXIT
trap 'exit 130' INT TERM
# mktemp makes it 0700; the published cache should be readable like any other.
chmod 0755 "$STAGE"
mkdir -p "$STAGE/bin" "$WORK/probe"

# -mod=mod: the generated wrapper modules must be free to gain requirements.
# GOWORK=off: an unrelated go.work must not leak into them. CGO is not needed
# by either binary and keeps them static.
export GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off CGO_ENABLED=0

# Read one string field from `go ... -json` output (pretty printed, one field
# per line), without depending on jq or python.
json_field() {
  sed -n "s/^[[:space:]]*\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" | head -n1
}

# go mod download MOD@VER; prints its JSON on stdout, fails if refused.
# Runs outside any module so only the proxy answers.
mod_download() {
  (cd "$WORK/probe" && go mod download -json "$1") 2>/dev/null
}

# Non-local replace directives of a go.mod, as OLD[@V]=NEW@V for
# `go mod edit -replace`. Replace directives only apply in the main module, so
# the wrapper has to restate the ones that pin forks (local ../ ones are for
# Pulumi's own monorepo and are dropped).
remote_replaces() {
  awk '
    /^replace[ \t]*\($/ { inblock = 1; next }
    inblock && /^\)/     { inblock = 0; next }
    {
      line = $0
      sub(/\/\/.*/, "", line)
      if (!(inblock || line ~ /^replace[ \t]/) || line !~ /=>/) next
      sub(/^replace[ \t]+/, "", line)
      split(line, side, "=>")
      nl = split(side[1], l, " ")
      nr = split(side[2], r, " ")
      if (nr != 2) next
      old = l[1]
      if (nl == 2) old = old "@" l[2]
      print old "=" r[1] "@" r[2]
    }' "$1"
}

# Build main package PKG (from module MOD at MODVER, whose go.mod is GOMOD)
# into OUT with version string VER, via a throwaway wrapper module. A wrapper
# is needed because Pulumi's go.mod files carry replace directives, which
# make `go install pkg@version` refuse. Further MOD@VERSION arguments are
# required too: they stand in for the monorepo's local `=> ../sdk` style
# replaces, which point at the same commit, so the sibling modules must be
# pinned to the same release rather than to whatever older version the
# go.mod happens to name.
build_main() {
  local name=$1 mod=$2 modver=$3 gomod=$4 pkg=$5 out=$6 ver=$7
  shift 7
  local dir=$WORK/$name spec sdkdir extra
  mkdir -p "$dir"
  # Each step checks its own status: errexit is suspended inside a function
  # whose caller tests it (`build_main ... || die`).
  (
    cd "$dir" || exit 1
    go mod init example.invalid/build-pulumi/"$name" >/dev/null 2>&1 || exit 1
    go mod edit -require="$mod@$modver" || exit 1
    for extra in "$@"; do
      go mod edit -require="$extra" || exit 1
    done
    while IFS= read -r spec; do
      go mod edit -replace="$spec" || exit 1
    done < <(remote_replaces "$gomod")
    # A build-tagged import keeps the main package in the module graph for
    # `go mod tidy` without ever being compiled as a library.
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" >tools.go || exit 1
    log "[$name] resolving dependencies of $mod@$modver"
    go mod tidy >&2 || exit 1
    # Make sure the linker variable still exists where we set it; otherwise
    # the binary would silently report an empty version.
    sdkdir=$(go list -m -f '{{.Dir}}' "$SDK_MOD") || exit 1
    if ! grep -q '^var Version string' "$sdkdir/go/common/version/version.go"; then
      log "[$name] $VERSION_VAR not found in $sdkdir"
      exit 1
    fi
    log "[$name] compiling $pkg (version $ver)"
    go build -trimpath -ldflags "-s -w -X $VERSION_VAR=$ver" -o "$out" "$pkg" >&2 || exit 1
  )
}

START=$SECONDS
log "building Pulumi v$VERSION into $BINDIR with $(go version)"

# 1. The CLI: github.com/pulumi/pulumi/pkg/v3, main package cmd/pulumi.
CLI_VERSION=""
CLI_NOTE=exact
if json=$(mod_download "$PKG_MOD@v$VERSION"); then
  CLI_VERSION=v$VERSION
else
  strict && die "the Go module proxy does not serve $PKG_MOD@v$VERSION (PULUMI_BUILD_STRICT=1 forbids a fallback)"
  log "the Go module proxy does not serve $PKG_MOD@v$VERSION; looking for the nearest release it does serve"
  mapfile -t listed < <(cd "$WORK/probe" && go list -m -versions "$PKG_MOD" 2>/dev/null | tr ' ' '\n' | grep '^v' | sed 's/^v//' | sort -V)
  newer=() older=()
  for v in "${listed[@]}"; do
    [[ $v == "$VERSION" ]] && continue
    if [[ $(printf '%s\n%s\n' "$v" "$VERSION" | sort -V | head -n1) == "$VERSION" ]]; then
      newer+=("$v")
    else
      older=("$v" "${older[@]}")
    fi
  done
  tries=0
  for v in "${newer[@]}" "${older[@]}"; do
    ((tries++ < MAX_CLI_CANDIDATES)) || break
    if json=$(mod_download "$PKG_MOD@v$v"); then
      CLI_VERSION=v$v
      CLI_NOTE="fallback: v$VERSION not served by the Go module proxy"
      break
    fi
  done
  [[ -n $CLI_VERSION ]] || die "no usable release of $PKG_MOD found on the Go module proxy"
  log "WARNING: building the CLI from $PKG_MOD@$CLI_VERSION instead of v$VERSION"
fi
CLI_GOMOD=$(json_field GoMod <<<"$json")
build_main cli "$PKG_MOD" "$CLI_VERSION" "$CLI_GOMOD" "$PKG_MOD/cmd/pulumi" \
  "$STAGE/bin/pulumi" "$CLI_VERSION" "$SDK_MOD@$CLI_VERSION" ||
  die "building the Pulumi CLI failed (see above)"

# 2. The SDK of the target release: source of the Python helper scripts, and
#    of the release's commit hash (the proxy's .info may carry Origin.Hash).
HELPER_SDK_VERSION=v$VERSION
if ! sdk_json=$(mod_download "$SDK_MOD@v$VERSION"); then
  strict && die "the Go module proxy does not serve $SDK_MOD@v$VERSION"
  log "WARNING: $SDK_MOD@v$VERSION not served; taking the Python helper scripts from the CLI's $CLI_VERSION"
  HELPER_SDK_VERSION=$CLI_VERSION
  sdk_json=$(mod_download "$SDK_MOD@$CLI_VERSION") || die "cannot download $SDK_MOD@$CLI_VERSION"
fi
SDK_DIR=$(json_field Dir <<<"$sdk_json")

# 3. The Python language host at the release's commit. The commit comes from
#    Origin.Hash in the proxy's .info for the sdk or pkg tag, which `go list -m`
#    reads without needing the (possibly refused) module zip.
release_commit() {
  local m out h
  for m in "$SDK_MOD" "$PKG_MOD"; do
    out=$(cd "$WORK/probe" && go list -m -json "$m@v$VERSION" 2>/dev/null) || continue
    h=$(json_field Hash <<<"$out")
    if [[ -n $h ]]; then
      printf '%s\n' "$h"
      return 0
    fi
  done
  return 1
}
COMMIT=${PULUMI_GIT_COMMIT:-}
if [[ -z $COMMIT ]]; then
  COMMIT=$(release_commit) || COMMIT=""
fi
LANG_NOTE=""
LANG_VERSION=""
if [[ -n $COMMIT ]]; then
  # Asking for a commit hash makes the proxy answer with the pseudo-version.
  if lang_json=$(cd "$WORK/probe" && go list -m -json "$LANG_MOD@$COMMIT" 2>/dev/null) &&
    LANG_VERSION=$(json_field Version <<<"$lang_json") && [[ -n $LANG_VERSION ]] &&
    lang_json=$(mod_download "$LANG_MOD@$LANG_VERSION"); then
    LANG_NOTE="exact: commit $COMMIT of v$VERSION"
  else
    LANG_VERSION=""
    LANG_NOTE="the Go module proxy refused $LANG_MOD@$COMMIT"
  fi
else
  LANG_NOTE="the commit of v$VERSION is unknown (no Origin.Hash from the proxy; set PULUMI_GIT_COMMIT)"
fi

if [[ -n $LANG_VERSION ]]; then
  build_main langhost "$LANG_MOD" "$LANG_VERSION" "$(json_field GoMod <<<"$lang_json")" "$LANG_MOD" \
    "$STAGE/bin/pulumi-language-python" "v$VERSION" "$SDK_MOD@$HELPER_SDK_VERSION" "$PKG_MOD@$CLI_VERSION" ||
    die "building the Python language host failed (see above)"
  LANG_DESC="$LANG_MOD@$LANG_VERSION"
else
  strict && die "$LANG_NOTE (PULUMI_BUILD_STRICT=1 forbids a fallback)"
  log "WARNING: $LANG_NOTE; building the legacy language host from $SDK_MOD@$LEGACY_LANG_SDK_VERSION"
  log "WARNING: that host ignores runtime.options in Pulumi.yaml: put the virtualenv's bin/ first on PATH"
  legacy_json=$(mod_download "$SDK_MOD@$LEGACY_LANG_SDK_VERSION") ||
    die "cannot download $SDK_MOD@$LEGACY_LANG_SDK_VERSION either; no Python language host can be built"
  build_main langhost "$SDK_MOD" "$LEGACY_LANG_SDK_VERSION" "$(json_field GoMod <<<"$legacy_json")" \
    "$LEGACY_LANG_PKG" "$STAGE/bin/pulumi-language-python" "$LEGACY_LANG_SDK_VERSION" ||
    die "building the legacy Python language host failed (see above)"
  LANG_DESC="$LEGACY_LANG_PKG@$LEGACY_LANG_SDK_VERSION (fallback: $LANG_NOTE)"
fi

# 4. Helper scripts the Python runtime execs: the program launcher, found by
#    the language host next to itself, and the dynamic-provider plugin, found
#    by the CLI next to itself. Copied from the module cache, never vendored.
install_helper() {
  local name=$1 preferred=$2 src
  src=$SDK_DIR/$preferred
  if [[ ! -f $src ]]; then
    src=$(find "$SDK_DIR/python" -type f -name "$name" -print -quit 2>/dev/null || true)
  fi
  [[ -n $src && -f $src ]] || die "$name not found in $SDK_DIR"
  install -m 0755 "$src" "$STAGE/bin/$name"
}
install_helper pulumi-language-python-exec python/cmd/pulumi-language-python-exec
install_helper pulumi-resource-pulumi-python python/dist/pulumi-resource-pulumi-python
ensure_yaml_host "$STAGE/bin"

# 5. Check the staged build, record what it is, and publish it atomically.
got=$(PULUMI_SKIP_UPDATE_CHECK=true "$STAGE/bin/pulumi" version) || die "the built pulumi does not run"
[[ $got == "$CLI_VERSION" ]] || die "the built pulumi reports '$got', expected '$CLI_VERSION'"

{
  printf 'target_version=v%s\n' "$VERSION"
  printf 'cli=%s@%s (%s)\n' "$PKG_MOD/cmd/pulumi" "$CLI_VERSION" "$CLI_NOTE"
  printf 'language_host=%s\n' "$LANG_DESC"
  printf 'helper_scripts_from=%s@%s\n' "$SDK_MOD" "$HELPER_SDK_VERSION"
  printf 'yaml_language_host=%s/cmd/pulumi-language-yaml@%s\n' "$YAML_MOD" "$YAML_VERSION"
  printf 'built_with=%s\n' "$(go version)"
  printf 'built_at=%s in %ss\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$((SECONDS - START))"
} >"$STAGE/BUILD-INFO"

# A previous directory that failed cache_ok is stale: replace it.
rm -rf "$FINAL"
mv -T "$STAGE" "$FINAL" || die "could not move the build into $FINAL"
STAGE=""

log "built in $((SECONDS - START))s:"
sed 's/^/build-pulumi:   /' "$FINAL/BUILD-INFO" >&2
printf '%s\n' "$BINDIR"
