/** Where calico's rules can be read: the source tags of its `rules` lines (`cnisim modes`, docs/modes/calico.md). */
import type { MaxPodsRange } from '../info.js';

const CALICO = 'https://github.com/projectcalico/calico';

export const CALICO_SOURCES: Readonly<Record<string, string>> = {
  'calico-ipam': `${CALICO} libcalico-go/lib/ipam/ipam.go (autoAssign, findOrClaimBlock, GetIPAMConfig, SetIPAMConfig)`,
  'calico-claim': `${CALICO} libcalico-go/lib/ipam/ipam_block_reader_writer.go (findUsableBlock, randomBlockGenerator, EmptyBlockMinReclaimAge)`,
  'calico-block': `${CALICO} libcalico-go/lib/ipam/ipam_block.go (newBlock, autoAssign, release)`,
  'calico-startup': `${CALICO} node/pkg/lifecycle/startup/startup.go (DEFAULT_IPV4_POOL_CIDR, DEFAULT_IPV4_POOL_BLOCK_SIZE)`,
  'calico-ippool': 'https://docs.tigera.io/calico/latest/reference/resources/ippool (blockSize; CRD validation in api/pkg/apis/projectcalico/v3/ippool.go)',
  'calico-ipamconfig': 'https://docs.tigera.io/calico/latest/reference/resources/ipamconfig (strictAffinity, maxBlocksPerHost)',
  'calico-tunnel': `${CALICO} node/pkg/allocateip/allocateip.go (one tunnel address per node, IntendedUse Tunnel)`,
  'calico-kc': `${CALICO} kube-controllers/pkg/controllers/node/ipam.go (releaseUnusedBlocks, leakGracePeriod); https://docs.tigera.io/calico/latest/reference/resources/kubecontrollersconfig`,
  'kubelet-retry': 'https://github.com/kubernetes/kubernetes pkg/kubelet/kubelet.go (backOffPeriod = 10 s: "the period to back off when pod syncing results in an error")',
  kubelet: 'https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/ (--max-pods, default 110)',
  'k8s-large': 'https://kubernetes.io/docs/setup/best-practices/cluster-large/ (no more than 110 pods per node)',
  assumption: "no public source states it: cnisim's choice",
};

/** kubelet's --max-pods: default 110 [kubelet]; kubelet sets no upper bound, cnisim runs at most 256 pods per node. */
export const KUBELET_MAX_PODS: MaxPodsRange = { default: 110, min: 1, max: 256, why: "kubelet's default 110; cnisim runs at most 256 pods per node" };

