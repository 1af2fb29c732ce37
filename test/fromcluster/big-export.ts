/**
 * A generated `kubectl get pods -A -o json` of `pods` pods (and the matching nodes export) over the aks-dynamic
 * fixture's pools, for the size test and for timing: pods of 50 deployments spread over 7 nodes, one
 * hostNetwork daemonset on every node, and a tenth of the pods Succeeded. Deterministic.
 */
export function bigExports(pods: number): { nodes: string; pods: string } {
  const nodeNames = [0, 1, 2].map((i) => `aks-system-12345678-vmss00000${i}`).concat([0, 1, 2, 3].map((i) => `aks-app-87654321-vmss00000${i}`));
  const nodes = nodeNames.map((name) => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { agentpool: name.includes('-app-') ? 'app' : 'system', 'kubernetes.azure.com/agentpool': name.includes('-app-') ? 'app' : 'system', 'kubernetes.io/os': 'linux' } },
    spec: { providerID: `azure:///subscriptions/00000000-0000-0000-0000-000000000000/x/${name}` },
    status: { capacity: { pods: name.includes('-app-') ? '110' : '50' }, nodeInfo: { kubeletVersion: 'v1.29.7', operatingSystem: 'linux' } },
  }));
  const items: unknown[] = [];
  for (let i = 0; i < pods; i++) {
    const daemon = i < nodeNames.length;
    const node = daemon ? nodeNames[i]! : nodeNames[3 + (i % 4)]!;
    const dep = `svc-${i % 50}`;
    items.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: daemon ? `kube-proxy-${i}` : `${dep}-7f9c8d6b5-${i.toString(36)}`, namespace: daemon ? 'kube-system' : `team-${i % 5}`, uid: `u-${i}`,
        labels: daemon ? { 'k8s-app': 'kube-proxy' } : { app: dep, 'pod-template-hash': '7f9c8d6b5' },
        ownerReferences: [daemon ? { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', controller: true, uid: 'ds' } : { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${dep}-7f9c8d6b5`, controller: true, uid: `rs-${dep}` }],
        annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-06-01T08:00:00Z' },
      },
      spec: {
        nodeName: node, hostNetwork: daemon ? true : undefined, restartPolicy: 'Always', serviceAccountName: 'default',
        containers: [{ name: 'main', image: `registry.example.com/${dep}:1.${i % 7}`, resources: { requests: { cpu: '50m', memory: '64Mi' } }, ports: [{ containerPort: 8080, protocol: 'TCP' }] }],
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      },
      status: { phase: !daemon && i % 10 === 0 ? 'Succeeded' : 'Running', podIP: `10.241.${(i >> 8) & 255}.${i & 255}`, hostIP: '10.240.0.4', qosClass: 'Burstable', startTime: '2024-06-01T08:30:00Z' },
    });
  }
  return {
    nodes: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: nodes, metadata: { resourceVersion: '' } }),
    pods: JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 4),
  };
}
