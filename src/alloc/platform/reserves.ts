/**
 * Each provider's reserved addresses, with their sources: the pools apply the numbers (src/pool/reserve.ts).
 * A mode asks the run's Spaces for a range under one of these; the planner and the validator read the same records.
 */
import type { ReservePolicy } from '../../pool/index.js';

/**
 * Azure keeps the first four and the last address of every VNet subnet; the smallest subnet is a /29
 * [learn.microsoft.com/azure/virtual-network/virtual-networks-faq: "Azure reserves the first four and last IP
 * address for a total of 5 IP addresses within each subnet"; "the smallest supported IPv4 subnet is /29"].
 */
export const AZURE_SUBNET: ReservePolicy = { name: 'Azure subnet', head: 4, tail: 1, smallestPrefix: 29 };

/**
 * AWS keeps the first four and the last address of every VPC subnet; subnets are /16 … /28
 * [docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html].
 */
export const AWS_SUBNET: ReservePolicy = { name: 'AWS subnet', head: 4, tail: 1, smallestPrefix: 28 };

/**
 * A GCP subnet's primary range keeps the network, the gateway, the second-to-last and the broadcast address;
 * the smallest is a /29 [cloud.google.com/vpc/docs/subnets#unusable-ip-addresses-in-every-subnet].
 */
export const GCP_PRIMARY: ReservePolicy = { name: 'GCP subnet primary range', head: 2, tail: 2, smallestPrefix: 29 };

/**
 * A node's own pod range served by host-local or Cilium's per-node allocator loses its network and broadcast
 * addresses [github.com/cilium/cilium pkg/ipam/service/ipallocator/allocator.go; containernetworking/plugins
 * plugins/ipam/host-local/backend/allocator/range.go].
 */
export const HOST_RANGE: ReservePolicy = { name: 'node pod range', head: 1, tail: 1, smallestPrefix: 30 };

/**
 * A self-managed cluster's node network (calico, cilium-cluster-pool, kubernetes): its network address, a gateway
 * and its broadcast address are not for nodes [assumption: an ordinary routed LAN].
 */
export const LAN_SUBNET: ReservePolicy = { name: 'LAN subnet', head: 2, tail: 1, smallestPrefix: 30 };
