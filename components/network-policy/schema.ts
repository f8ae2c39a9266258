/**
 * Config fragments of the network policy, in two parts:
 * - `networkPolicyClusterSchema`: cluster facts, set once per stack (a top-level
 *   `networkPolicy` block): where the ingress controller, Prometheus and DNS run, the cluster's
 *   pod and Service ranges, the API server's addresses, the network plugin (`cni`);
 * - `serviceNetworkPolicySchema`: one service's choices (e.g. `agentRuntime.networkPolicy`):
 *   on/off, internet egress, another ingress controller, extra peers, and what the stack file
 *   says about the endpoints its URL settings name (`endpoints`).
 * Splitting them means the cluster's ranges are written once, not once per service.
 *
 * The schemas give structure, types and defaults; value rules (CIDRs, label syntax, ports,
 * `cidr` xor selectors) come from network-policy/rules.ts, which the component runs too.
 */
import { z } from "zod";
import { ALLOWED, clusterConfigProblems, serviceConfigProblems } from "../network-policy";
import { CNIS } from "../network-policy/cilium";

const labels = (description: string) => z.record(z.string(), z.string().meta({ description: "A label value." })).meta({ description, allowed: ALLOWED.labels });

const cidrs = (description: string, defaults: string[]) =>
    z
        .array(z.string().meta({ description: "An IPv4 CIDR.", allowed: ALLOWED.cidr }))
        .default(defaults)
        .meta({ description, allowed: `a list of ${ALLOWED.cidr}` });

const portNumbers = (description: string, defaults: number[]) =>
    z
        .array(z.number().int().meta({ description: "A port number." }))
        .default(defaults)
        .meta({ description, allowed: "a list of port numbers from 1 to 65535" });

const portSpec = z
    .strictObject({
        port: z.union([z.number().int(), z.string()]).meta({ description: "Port number, or the name of a container port.", allowed: ALLOWED.port }),
        protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP").meta({ description: "Protocol." }),
        endPort: z.number().int().meta({ description: "Last port of a range starting at `port` (numeric `port` only)." }).optional(),
    })
    .meta({ description: "A port." });

const ports = z.array(portSpec).meta({ description: "Ports allowed to or from the peer; at least one." });

const namespaceSelector = (what: string) => labels(`Labels of the namespaces ${what}; \`kubernetes.io/metadata.name: <name>\` names one.`);
const podSelector = (what: string) => labels(`Labels of the pods ${what}; with a namespace selector, only those pods of those namespaces.`);

/** Cluster facts for every service's policy (a top-level `networkPolicy` block). */
export const networkPolicyClusterSchema = z
    .strictObject({
        enabled: z.boolean().default(true).meta({ description: "Create a NetworkPolicy for every service that has one turned on; false creates none." }),
        ingressController: z
            .strictObject({
                namespaceSelector: namespaceSelector("the ingress controller runs in").default({ "kubernetes.io/metadata.name": "ingress-nginx" }),
                podSelector: podSelector("of the ingress controller").optional(),
            })
            .prefault({})
            .meta({ description: "Where the ingress controller runs: the source of ingress traffic to each service's HTTP ports." }),
        monitoring: z
            .strictObject({
                namespaceSelector: namespaceSelector("Prometheus runs in").default({ "kubernetes.io/metadata.name": "monitoring" }),
                podSelector: podSelector("of Prometheus").optional(),
            })
            .prefault({})
            .meta({ description: "Where Prometheus runs: allowed to scrape each service's metrics ports." }),
        dns: z
            .strictObject({
                namespaceSelector: namespaceSelector("cluster DNS runs in").default({ "kubernetes.io/metadata.name": "kube-system" }),
                podSelector: podSelector("of cluster DNS").default({ "k8s-app": "kube-dns" }),
                cidrs: cidrs("Further DNS addresses, e.g. a NodeLocal DNSCache `169.254.20.10/32`.", []),
            })
            .prefault({})
            .meta({ description: "Cluster DNS, reached on UDP and TCP 53 by every service." }),
        clusterCidrs: z
            .strictObject({
                pods: cidrs("Pod address ranges of the cluster; excluded from internet egress.", ["10.244.0.0/16"]),
                services: cidrs("Service address ranges of the cluster; excluded from internet egress.", ["10.0.0.0/16"]),
            })
            .prefault({})
            .meta({ description: "The cluster's own ranges (defaults are AKS's); never treated as the internet." }),
        internet: z
            .strictObject({
                ports: portNumbers("TCP ports services may reach on the internet.", [443]),
                except: cidrs(
                    "Further ranges that are not the internet (e.g. your corporate networks); private, link-local and CGNAT ranges are always excluded.",
                    [],
                ),
            })
            .prefault({})
            .meta({ description: "Internet egress: 0.0.0.0/0 minus private, link-local (metadata), CGNAT and cluster ranges." }),
        apiServer: z
            .strictObject({
                cidrs: cidrs(
                    "Addresses of the API server endpoints (`kubectl get endpoints kubernetes`); required when a service calls the API, unless `cni` is `cilium` (which reaches it by its entity).",
                    [],
                ),
                ports: portNumbers("Ports of the API server.", [443, 6443]),
            })
            .prefault({})
            .meta({ description: "The Kubernetes API server, reachable only by workloads that call it." }),
        cni: z
            .enum(CNIS)
            .meta({
                description:
                    "The cluster's network plugin. `cilium`: workloads that call the API server also get a CiliumNetworkPolicy for its `kube-apiserver` identity, which `ipBlock` rules cannot match, and `apiServer.cidrs` becomes optional. Default: `cilium` with `cluster.target: aks` (Azure CNI powered by Cilium), `generic` otherwise.",
            })
            .optional(),
    })
    .superRefine((cluster, ctx) => {
        for (const problem of clusterConfigProblems(cluster)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    })
    .prefault({})
    .meta({ description: "Network policy facts of the cluster, shared by every service's NetworkPolicy." });

const peerFields = {
    namespaceSelector: namespaceSelector("of the peer").optional(),
    podSelector: podSelector("of the peer").optional(),
    ports,
};

/** One service's network policy choices (e.g. `agentRuntime.networkPolicy`). */
export const serviceNetworkPolicySchema = z
    .strictObject({
        enabled: z.boolean().default(true).meta({ description: "Create this service's NetworkPolicy (default deny plus what it needs)." }),
        ingressController: z
            .strictObject({
                namespaceSelector: namespaceSelector("this service's ingress controller runs in"),
                podSelector: podSelector("of this service's ingress controller").optional(),
            })
            .meta({ description: "Another ingress controller for this service, replacing the cluster's `networkPolicy.ingressController`." })
            .optional(),
        internet: z.boolean().default(true).meta({ description: "Allow egress to the internet on the cluster's internet ports (LLM and SaaS APIs)." }),
        extraIngress: z
            .array(z.strictObject(peerFields).meta({ description: "An in-cluster source: selectors and ports." }))
            .default([])
            .meta({ description: "Further in-cluster sources allowed in, each with `namespaceSelector` and/or `podSelector` and `ports`." }),
        extraEgress: z
            .array(
                z
                    .strictObject({
                        ...peerFields,
                        cidr: z.string().meta({ description: "Destination addresses, instead of selectors.", allowed: ALLOWED.cidr }).optional(),
                        except: z
                            .array(z.string().meta({ description: "An IPv4 CIDR inside `cidr`.", allowed: ALLOWED.cidr }))
                            .meta({ description: "Ranges inside `cidr` to leave out.", allowed: `a list of ${ALLOWED.cidr}` })
                            .optional(),
                    })
                    .meta({ description: "A destination: selectors (in-cluster) or `cidr`, and ports." }),
            )
            .default([])
            .meta({ description: "Further destinations allowed out: in-cluster pods by selectors, or addresses by `cidr`, each with `ports`." }),
        endpoints: z
            .record(
                z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, "must be the name of a URL setting, e.g. openaiApiBase"),
                z
                    .strictObject({
                        targetPort: z
                            .number()
                            .int()
                            .meta({
                                description:
                                    "The port the destination's pods listen on (the Service's targetPort), when the URL's port is the Service's and differs: a NetworkPolicy matches the pod's port.",
                                allowed: "a port number from 1 to 65535",
                            })
                            .optional(),
                        podSelector: labels("Narrows an in-cluster destination to these pods of its namespace.").optional(),
                        cidr: z
                            .string()
                            .meta({
                                description: "Addresses of a destination outside the cluster (e.g. a private endpoint), instead of the public addresses.",
                                allowed: ALLOWED.cidr,
                            })
                            .optional(),
                        outsideCluster: z
                            .boolean()
                            .meta({
                                description: "Read the host as outside the cluster although it looks like `<service>.<namespace>` (e.g. `openrouter.ai`).",
                            })
                            .optional(),
                    })
                    .meta({ description: "What the derived egress rule of one URL setting needs to know." }),
            )
            .default({})
            .meta({
                description:
                    "By URL setting name (e.g. `openaiApiBase`): facts about the endpoint its derived egress rule cannot read from the URL; see docs/network-policy.md.",
            }),
    })
    .superRefine((service, ctx) => {
        for (const problem of serviceConfigProblems(service)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    })
    .prefault({})
    .meta({ description: "This service's NetworkPolicy; see docs/network-policy.md." });

/** The cluster facts block (`networkPolicy`), parsed. */
export type NetworkPolicyConfig = z.output<typeof networkPolicyClusterSchema>;
