/** CiliumNetworkPolicy semantics, and how Cilium's identities change NetworkPolicy results. */
import { expect } from "chai";
import { allowedConnections, buildNetwork, listConnections } from "../../../tools/connectivity";
import { ciliumPolicy, deployment, networkPolicy, workload } from "./fixtures";

const operator = deployment("agents", "operator", { app: "operator" }, [{ name: "metrics", containerPort: 8080 }]);
const worker = deployment("agents", "worker", { app: "worker" });
const dns = deployment("kube-system", "coredns", { "k8s-app": "kube-dns" });
const apiServer = { apiServer: { ips: ["20.50.1.10"] } };
const cilium = { cni: "cilium" as const };

const egressOnly = (egress: unknown[]) => ciliumPolicy("agents", "operator-egress", { endpointSelector: { matchLabels: { app: "operator" } }, egress });

describe("connectivity on Cilium: the API server", () => {
    it("is not reached through a CIDR rule naming its address (cilium/cilium#20550)", () => {
        const objects = [operator, egressOnly([{ toCIDR: ["20.50.1.10/32"], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }])];
        const net = buildNetwork(objects, cilium);
        expect(allowedConnections(net, workload(net, "operator"), apiServer).isEmpty()).to.equal(true);
        expect(allowedConnections(net, workload(net, "operator"), { ip: "20.50.1.10" }).toString()).to.equal("TCP 443");
    });

    it("is not reached through a NetworkPolicy ipBlock naming its address, which works on a generic CNI", () => {
        const objects = [
            operator,
            networkPolicy("agents", "api", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ to: [{ ipBlock: { cidr: "20.50.1.10/32" } }], ports: [{ port: 443 }] }],
            }),
        ];
        const onCilium = buildNetwork(objects, cilium);
        expect(allowedConnections(onCilium, workload(onCilium, "operator"), apiServer).isEmpty()).to.equal(true);
        const generic = buildNetwork(objects);
        expect(allowedConnections(generic, workload(generic, "operator"), apiServer).toString()).to.equal("TCP 443");
    });

    it("is reached through toEntities kube-apiserver, cluster or all, not world", () => {
        const reach = (entity: string) => {
            const net = buildNetwork([operator, egressOnly([{ toEntities: [entity], toPorts: [{ ports: [{ port: "443" }] }] }])], cilium);
            return allowedConnections(net, workload(net, "operator"), apiServer).toString();
        };
        expect(reach("kube-apiserver")).to.equal("SCTP 443,TCP 443,UDP 443");
        expect(reach("cluster")).to.equal("SCTP 443,TCP 443,UDP 443");
        expect(reach("all")).to.equal("SCTP 443,TCP 443,UDP 443");
        expect(reach("world")).to.equal("No Connections");
    });
});

describe("connectivity on Cilium: CiliumNetworkPolicy", () => {
    it("world selects addresses outside the cluster but no pod", () => {
        const net = buildNetwork([operator, worker, egressOnly([{ toEntities: ["world"] }])], cilium);
        expect(allowedConnections(net, workload(net, "operator"), { ip: "1.1.1.1" }).toString()).to.equal("All Connections");
        expect(allowedConnections(net, workload(net, "operator"), workload(net, "worker")).isEmpty()).to.equal(true);
    });

    it("toEndpoints without a namespace label stays in the policy's namespace; with it, reaches that namespace", () => {
        const twin = deployment("other", "worker", { app: "worker" });
        const local = buildNetwork([operator, worker, twin, egressOnly([{ toEndpoints: [{ matchLabels: { app: "worker" } }] }])], cilium);
        const reaches = (net: ReturnType<typeof buildNetwork>) =>
            net.workloads
                .filter((w) => w.name === "worker" && !allowedConnections(net, workload(net, "operator"), { workload: w }).isEmpty())
                .map((w) => w.namespace);
        expect(reaches(local)).to.deep.equal(["agents"]);
        const remote = buildNetwork(
            [operator, worker, twin, egressOnly([{ toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "other", "k8s:app": "worker" } }] }])],
            cilium,
        );
        expect(reaches(remote)).to.deep.equal(["other"]);
    });

    it("toPorts without a protocol is any protocol; a rule of ports only allows every peer", () => {
        const net = buildNetwork([operator, dns, egressOnly([{ toPorts: [{ ports: [{ port: "53" }] }] }])], cilium);
        expect(allowedConnections(net, workload(net, "operator"), workload(net, "coredns")).toString()).to.equal("SCTP 53,TCP 53,UDP 53");
        expect(allowedConnections(net, workload(net, "operator"), { ip: "8.8.8.8" }).toString()).to.equal("SCTP 53,TCP 53,UDP 53");
    });

    it("an empty rule allows nothing but still makes the endpoint default-deny", () => {
        const net = buildNetwork([operator, worker, ciliumPolicy("agents", "lock", { endpointSelector: {}, ingress: [{}] })], cilium);
        expect(allowedConnections(net, workload(net, "worker"), workload(net, "operator")).isEmpty()).to.equal(true);
        expect(allowedConnections(net, workload(net, "operator"), { ip: "8.8.8.8" }).toString(), "egress untouched").to.equal("All Connections");
    });

    it("enableDefaultDeny false leaves the direction open", () => {
        const net = buildNetwork(
            [
                operator,
                worker,
                ciliumPolicy("agents", "open", { endpointSelector: {}, enableDefaultDeny: { ingress: false }, ingress: [{ fromEntities: ["world"] }] }),
            ],
            cilium,
        );
        expect(allowedConnections(net, workload(net, "worker"), workload(net, "operator")).toString()).to.equal("All Connections");
    });

    it("unions with NetworkPolicy: a pod selected by either kind is default-deny and both allow", () => {
        const net = buildNetwork(
            [
                operator,
                worker,
                dns,
                networkPolicy("agents", "np", {
                    podSelector: { matchLabels: { app: "operator" } },
                    policyTypes: ["Egress"],
                    egress: [{ to: [{ podSelector: { matchLabels: { app: "worker" } } }], ports: [{ port: 8080 }] }],
                }),
                egressOnly([
                    {
                        toEndpoints: [{ matchLabels: { "io.kubernetes.pod.namespace": "kube-system", "k8s-app": "kube-dns" } }],
                        toPorts: [{ ports: [{ port: "53", protocol: "UDP" }] }],
                    },
                ]),
            ],
            cilium,
        );
        expect(allowedConnections(net, workload(net, "operator"), workload(net, "worker")).toString()).to.equal("TCP 8080");
        expect(allowedConnections(net, workload(net, "operator"), workload(net, "coredns")).toString()).to.equal("UDP 53");
        expect(allowedConnections(net, workload(net, "operator"), { ip: "8.8.8.8" }).isEmpty()).to.equal(true);
    });

    it("applies only with the cilium CNI", () => {
        const objects = [operator, worker, egressOnly([{ toEntities: ["world"] }])];
        const generic = buildNetwork(objects);
        expect(allowedConnections(generic, workload(generic, "operator"), workload(generic, "worker")).toString()).to.equal("All Connections");
        expect(generic.notes.join("\n")).to.contain("Cilium policies ignored");
    });

    it("toCIDRSet with except splits the listing's external ranges like an ipBlock", () => {
        const net = buildNetwork([operator, egressOnly([{ toCIDRSet: [{ cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] }] }])], cilium);
        const outbound = listConnections(net)
            .filter((line) => line.src === "agents/operator[Deployment]")
            .map((line) => `${line.dst} : ${line.conn}`);
        expect(outbound).to.deep.equal(["10.0.0.0-10.0.255.255[External] : All Connections", "10.2.0.0-10.255.255.255[External] : All Connections"]);
    });

    it("reports an unknown entity as a policy the API server would reject", () => {
        const net = buildNetwork([operator, egressOnly([{ toEntities: ["internet"] }])], cilium);
        expect(net.problems.map((problem) => problem.message).join()).to.contain("toEntities[0]");
    });
});

describe("connectivity on Cilium: CiliumClusterwideNetworkPolicy", () => {
    const clusterwide = (spec: Record<string, unknown>) => ({
        apiVersion: "cilium.io/v2",
        kind: "CiliumClusterwideNetworkPolicy",
        metadata: { name: "ccnp" },
        spec,
    });

    it("selects endpoints in every namespace, and its empty endpoint selector is the wildcard", () => {
        const net = buildNetwork(
            [
                operator,
                dns,
                clusterwide({
                    endpointSelector: { matchLabels: { app: "operator" } },
                    egress: [{ toEndpoints: [{}], toPorts: [{ ports: [{ port: "53", protocol: "UDP" }] }] }],
                }),
            ],
            cilium,
        );
        expect(allowedConnections(net, workload(net, "operator"), workload(net, "coredns")).toString()).to.equal("UDP 53");
        expect(allowedConnections(net, workload(net, "operator"), { ip: "8.8.8.8" }).toString()).to.equal("UDP 53");
    });
});
