// Where the typed model of an apiVersion/kind lives: core and built-in groups in kubernetes-models,
// the optional CRDs the manifests use (Prometheus Operator, Gateway API, cert-manager) in their own packages.
const CRD_PACKAGES = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  // for an event-bus TLS component that issues its certificates with cert-manager
  'cert-manager.io': '@kubernetes-models/cert-manager',
};

/** Module specifier of the model for `apiVersion` + `kind`, e.g. kubernetes-models/apps/v1/Deployment. */
export function modelPath(apiVersion, kind) {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const pkg = CRD_PACKAGES[group] ?? 'kubernetes-models';
  return `${pkg}/${apiVersion}/${kind}`;
}
