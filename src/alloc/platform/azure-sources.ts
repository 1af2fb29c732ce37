/** Where the AKS modes' rules can be read: the source tags of their `rules` lines (`cnisim modes`, docs/modes.md). */
export const AZURE_SOURCES: Readonly<Record<string, string>> = {
  'overlay-doc': 'https://learn.microsoft.com/azure/aks/azure-cni-overlay',
  'podsubnet-doc': 'https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-pod-subnet',
  cns: 'https://github.com/Azure/azure-container-networking (cns/ipampool/monitor.go, cns/ipampool/v2/monitor.go)',
  'aks-docs': 'https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning',
  'kubenet-doc': 'https://learn.microsoft.com/azure/aks/configure-kubenet',
  'vnet-faq': 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq',
  'vnet-limits': 'https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits',
  'aks-api': 'https://learn.microsoft.com/rest/api/aks/managed-clusters (PodIPAllocationMode)',
  assumption: "no public source states it: cnisim's choice, a parameter",
};
