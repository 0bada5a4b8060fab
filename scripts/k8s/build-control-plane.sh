#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager (optionally more
# components) from source through the Go module proxy, and caches the
# binaries outside the repository:
#   ${INFERENCE_LAB_K8S_CACHE:-$HOME/.cache/inference-lab/k8s}/<version>/bin/
# Idempotent: a component whose binary is already cached is not rebuilt.
#
# usage: scripts/k8s/build-control-plane.sh [version] [component ...]
#   version    a k8s.io/kubernetes module version (default: K8S_VERSION or v1.37.2)
#   component  kube-apiserver kube-controller-manager (default), kube-scheduler, kubelet
#
# k8s.io/kubernetes's go.mod points its k8s.io/* staging modules at
# ./staging/src/...; replace directives of a dependency are ignored, so the
# build module written here replaces each staging module with its published
# v0.<minor>.<patch> twin.
set -euo pipefail

version="${1:-${K8S_VERSION:-v1.37.2}}"
shift || true
components=("$@")
[ ${#components[@]} -gt 0 ] || components=(kube-apiserver kube-controller-manager)

cache="${INFERENCE_LAB_K8S_CACHE:-$HOME/.cache/inference-lab/k8s}/$version"
bin="$cache/bin"
build="$cache/build"
mkdir -p "$bin" "$build"

missing=()
for c in "${components[@]}"; do
  [ -x "$bin/$c" ] || missing+=("$c")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "k8s $version: cached in $bin (${components[*]})"
  exit 0
fi

command -v go >/dev/null || { echo "go is not on PATH" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export GOTOOLCHAIN=local

if [ ! -f "$build/go.mod" ] || ! grep -q "k8s.io/kubernetes $version" "$build/go.mod"; then
  staging_version="v0.${version#v1.}"
  modfile="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$version.mod"
  [ -f "$modfile" ] || (cd "$build" && go mod download -json "k8s.io/kubernetes@$version" >/dev/null)
  [ -f "$modfile" ] || { echo "cannot fetch k8s.io/kubernetes@$version go.mod" >&2; exit 1; }
  {
    echo "module inference-lab/k8s-build"
    echo
    echo "go $(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"
    echo
    echo "require k8s.io/kubernetes $version"
    echo
    echo "replace ("
    sed -nE 's#^\s*(k8s\.io/[A-Za-z0-9._/-]+) => \./staging/src/.*$#\t\1 => \1 '"$staging_version"'#p' "$modfile"
    echo ")"
  } > "$build/go.mod"
  printf 'package main\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n)\n\nfunc main() {}\n' > "$build/tools.go"
  (cd "$build" && go mod tidy >/dev/null 2>&1 || true)
  rm -f "$build/tools.go"
fi

minor="${version#v1.}"; minor="${minor%%.*}"
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
for c in "${missing[@]}"; do
  start=$(date +%s)
  echo "k8s $version: building $c"
  (cd "$build" && go build -trimpath -ldflags "$ldflags" -o "$bin/$c.tmp" "k8s.io/kubernetes/cmd/$c")
  mv "$bin/$c.tmp" "$bin/$c"
  echo "k8s $version: built $c in $(( $(date +%s) - start )) s"
done
echo "k8s $version: binaries in $bin"
