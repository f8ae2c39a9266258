/**
 * Kubernetes NetworkPolicy (and CiliumNetworkPolicy) evaluator: which endpoint may connect
 * to which, on which ports. See docs/connectivity.md.
 */
export { ConnectionSet, protocols, type Protocol } from "./connections";
export { allowedConnections, egressAllowed, ingressAllowed } from "./evaluate";
export { formatJson, formatTxt } from "./format";
export { listConnections, type ConnectionLine, type ListedPeer } from "./list";
export type { Cni, ContainerPort, Endpoint, NetworkOptions, Workload } from "./model";
export { buildNetwork, Network, type NetworkProblem } from "./network";
export { readManifests, type ReadResult, type SourcedObject } from "./read";
export { runConnectivity, usage as connectivityUsage, exitCodes as connectivityExitCodes } from "./cli";
