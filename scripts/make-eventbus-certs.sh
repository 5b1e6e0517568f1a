#!/usr/bin/env bash
# Makes the certificates of the clustered event bus's mutual TLS (docs/SECURITY.md):
#   OUT/ca.crt, OUT/ca.key   a private CA (keep ca.key offline; only ca.crt goes to the pods)
#   OUT/tls.crt, OUT/tls.key the node certificate every pod presents, signed by the CA
# File names match a cert-manager / kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt).
# An existing OUT/ca.key is reused, so running it again issues a new node certificate under the
# same CA (rotation without a trust change). Needs openssl.
#
# Usage: scripts/make-eventbus-certs.sh OUT_DIR [DAYS]     (DAYS of the node cert, default 365)
# Then, for Kubernetes (k8s/components/eventbus-tls):
#   kubectl create secret generic chat-relay-eventbus-tls \
#     --from-file=tls.crt=OUT/tls.crt --from-file=tls.key=OUT/tls.key --from-file=ca.crt=OUT/ca.crt
set -euo pipefail

out=${1:?usage: $0 OUT_DIR [DAYS]}
days=${2:-365}
ca_days=3650
subject_ca="/CN=chat-relay event-bus CA"
subject_node="/CN=chat-relay event-bus node"

mkdir -p "$out"
umask 077
cd "$out"

if [ ! -f ca.key ]; then
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout ca.key -out ca.crt -days "$ca_days" -subj "$subject_ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  echo "made CA: $out/ca.crt (key $out/ca.key, $ca_days days)"
fi

# PKCS#8 key (BEGIN PRIVATE KEY), which Vert.x's PEM loader reads for EC keys.
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
  -keyout tls.key -out tls.csr -subj "$subject_node" 2>/dev/null
cat > tls.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=serverAuth,clientAuth
EXT
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
  -out tls.crt -days "$days" -extfile tls.ext 2>/dev/null
rm -f tls.csr tls.ext ca.srl
chmod 644 ca.crt tls.crt
openssl verify -CAfile ca.crt tls.crt >/dev/null
echo "made node certificate: $out/tls.crt (key $out/tls.key, $days days, signed by $out/ca.crt)"
