#!/usr/bin/env bash
# Validates k8s/ offline: renders every kustomization with `kubectl kustomize` (no cluster, no apply),
# checks each object against the Kubernetes schemas (npm kubernetes-models), for unknown (misspelt)
# fields (TypeScript excess-property check on the same models) and against the chat-relay
# consistency rules (known RELAY_* names, probe paths, ports vs. env, discovery, NetworkPolicies, drain).
# Prints `N passed, M failed` last; exits non-zero on any failure.
# Usage: scripts/validate-k8s.sh [--test] [kustomization-dir ...]
#   --test  also runs the validator's own tests (broken manifests must be caught).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
validator="$repo_root/k8s/validate"

command -v kubectl >/dev/null || { echo "validate-k8s: kubectl (with built-in kustomize) is required" >&2; exit 2; }
command -v node >/dev/null || { echo "validate-k8s: node (>= 20) is required" >&2; exit 2; }

# Install exactly the locked dependencies once; later runs need no network.
if [[ ! -d "$validator/node_modules/kubernetes-models" || ! -d "$validator/node_modules/typescript" ]]; then
  (cd "$validator" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [[ "${1:-}" == "--test" ]]; then
  shift
  (cd "$validator" && node --test test/)
fi

cd "$repo_root"
exec node "$validator/validate.mjs" "$@"
