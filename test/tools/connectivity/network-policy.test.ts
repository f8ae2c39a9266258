/** Kubernetes NetworkPolicy semantics of the evaluator, one small cluster per behaviour. */
import { expect } from "chai";
import { allowedConnections, buildNetwork, egressAllowed, ingressAllowed } from "../../../tools/connectivity";
import { denyAll, deployment, namespace, networkPolicy, workload } from "./fixtures";

const web = deployment("shop", "web", { app: "web", tier: "front" }, [{ name: "http", containerPort: 8080 }]);
const api = deployment("shop", "api", { app: "api", tier: "back" }, [
    { name: "http", containerPort: 9000 },
    { name: "dns", containerPort: 5353, protocol: "UDP" },
]);
const other = deployment("other", "client", { app: "client" });

describe("connectivity: default deny is per direction", () => {
    it("allows everything when no policy selects either pod", () => {
        const net = buildNetwork([web, api]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("All Connections");
    });

    it("an Ingress-only policy with no rules denies ingress to its pods but leaves their egress open", () => {
        const net = buildNetwork([web, api, networkPolicy("shop", "deny-in", { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress"] })]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).isEmpty()).to.equal(true);
        expect(allowedConnections(net, workload(net, "api"), workload(net, "web")).toString()).to.equal("All Connections");
    });

    it("without policyTypes a policy isolates Egress only when it has egress rules", () => {
        const ingressOnly = networkPolicy("shop", "p", { podSelector: { matchLabels: { app: "api" } }, ingress: [] });
        const withEgress = networkPolicy("shop", "p", { podSelector: { matchLabels: { app: "api" } }, egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] });
        const open = buildNetwork([web, api, ingressOnly]);
        expect(egressAllowed(open, workload(open, "api"), workload(open, "web")).toString()).to.equal("All Connections");
        expect(ingressAllowed(open, workload(open, "web"), workload(open, "api")).isEmpty()).to.equal(true);
        const closed = buildNetwork([web, api, withEgress]);
        expect(egressAllowed(closed, workload(closed, "api"), workload(closed, "web")).toString()).to.equal("UDP 53");
        // Ingress is always among the implicit policyTypes, so it is isolated too.
        expect(ingressAllowed(closed, workload(closed, "web"), workload(closed, "api")).isEmpty()).to.equal(true);
    });

    it("ignores the rules of a direction its policyTypes do not name", () => {
        const net = buildNetwork([web, api, networkPolicy("shop", "p", { podSelector: {}, policyTypes: ["Egress"], ingress: [{}] })]);
        expect(ingressAllowed(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("All Connections");
        expect(egressAllowed(net, workload(net, "web"), workload(net, "api")).isEmpty()).to.equal(true);
    });

    it("needs egress at the source and ingress at the destination", () => {
        const net = buildNetwork([
            web,
            api,
            networkPolicy("shop", "web-out", {
                podSelector: { matchLabels: { app: "web" } },
                policyTypes: ["Egress"],
                egress: [{ ports: [{ port: 9000 }, { port: 9001 }] }],
            }),
            networkPolicy("shop", "api-in", { podSelector: { matchLabels: { app: "api" } }, ingress: [{ ports: [{ port: 9001 }, { port: 9002 }] }] }),
        ]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("TCP 9001");
    });
});

describe("connectivity: several policies and several peers", () => {
    it("allows the union of every policy that selects the pod", () => {
        const net = buildNetwork([
            web,
            api,
            networkPolicy("shop", "a", { podSelector: { matchLabels: { app: "api" } }, ingress: [{ ports: [{ port: 80 }] }] }),
            networkPolicy("shop", "b", { podSelector: { matchLabels: { tier: "back" } }, ingress: [{ ports: [{ port: 443 }] }] }),
        ]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("TCP 80,443");
    });

    it("ANDs podSelector and namespaceSelector in one peer but ORs two peers", () => {
        const objects = [namespace("other", { team: "x" }), web, api, other];
        const and = buildNetwork([
            ...objects,
            networkPolicy("shop", "p", {
                podSelector: { matchLabels: { app: "api" } },
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } }, podSelector: { matchLabels: { app: "web" } } }] }],
            }),
        ]);
        expect(allowedConnections(and, workload(and, "client"), workload(and, "api")).isEmpty(), "client: namespace matches, pod does not").to.equal(true);
        expect(allowedConnections(and, workload(and, "web"), workload(and, "api")).isEmpty(), "web: pod matches, namespace does not").to.equal(true);
        const or = buildNetwork([
            ...objects,
            networkPolicy("shop", "p", {
                podSelector: { matchLabels: { app: "api" } },
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } } }, { podSelector: { matchLabels: { app: "web" } } }] }],
            }),
        ]);
        expect(allowedConnections(or, workload(or, "client"), workload(or, "api")).toString()).to.equal("All Connections");
        expect(allowedConnections(or, workload(or, "web"), workload(or, "api")).toString()).to.equal("All Connections");
    });

    it("a podSelector alone selects pods of the policy's namespace only", () => {
        const twin = deployment("other", "web-twin", { app: "web" });
        const net = buildNetwork([
            web,
            api,
            twin,
            networkPolicy("shop", "p", {
                podSelector: { matchLabels: { app: "api" } },
                ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }] }],
            }),
        ]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).isEmpty()).to.equal(false);
        expect(allowedConnections(net, workload(net, "web-twin"), workload(net, "api")).isEmpty()).to.equal(true);
    });

    it("an empty namespaceSelector selects every namespace", () => {
        const net = buildNetwork([
            web,
            api,
            other,
            networkPolicy("shop", "p", { podSelector: { matchLabels: { app: "api" } }, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
        ]);
        expect(allowedConnections(net, workload(net, "client"), workload(net, "api")).toString()).to.equal("All Connections");
        expect(allowedConnections(net, { ip: "8.8.8.8" }, workload(net, "api")).isEmpty()).to.equal(true);
    });
});

describe("connectivity: selectors and namespace labels", () => {
    const labelled = (app: string, labels: Record<string, string>) => deployment("shop", app, { app, ...labels });
    const pods = [labelled("a", { env: "prod" }), labelled("b", { env: "dev" }), labelled("c", {}), deployment("shop", "target", { app: "target" })];
    const allowedFrom = (expression: Record<string, unknown>): string[] => {
        const net = buildNetwork([
            ...pods,
            networkPolicy("shop", "p", {
                podSelector: { matchLabels: { app: "target" } },
                ingress: [{ from: [{ podSelector: { matchExpressions: [expression] } }] }],
            }),
        ]);
        return ["a", "b", "c"].filter((name) => !allowedConnections(net, workload(net, name), workload(net, "target")).isEmpty());
    };

    it("In matches the listed values only", () => expect(allowedFrom({ key: "env", operator: "In", values: ["prod", "qa"] })).to.deep.equal(["a"]));
    it("NotIn also matches pods without the label", () => expect(allowedFrom({ key: "env", operator: "NotIn", values: ["prod"] })).to.deep.equal(["b", "c"]));
    it("Exists matches any value", () => expect(allowedFrom({ key: "env", operator: "Exists" })).to.deep.equal(["a", "b"]));
    it("DoesNotExist matches pods without the label", () => expect(allowedFrom({ key: "env", operator: "DoesNotExist" })).to.deep.equal(["c"]));

    it("every namespace carries kubernetes.io/metadata.name, rendered or not", () => {
        const net = buildNetwork([
            namespace("shop"),
            web,
            api,
            other,
            networkPolicy("shop", "p", {
                podSelector: { matchLabels: { app: "api" } },
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } } }] }],
            }),
        ]);
        expect(allowedConnections(net, workload(net, "client"), workload(net, "api")).isEmpty()).to.equal(false);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).isEmpty()).to.equal(true);
    });

    it("reads labels of unrendered namespaces from the options, and of an endpoint's own namespaceLabels", () => {
        const policy = networkPolicy("shop", "p", {
            podSelector: { matchLabels: { app: "api" } },
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { purpose: "ingress" } } }] }],
        });
        const controller = { pod: { namespace: "ingress-nginx", labels: { app: "controller" } } };
        const bare = buildNetwork([api, policy]);
        expect(allowedConnections(bare, controller, workload(bare, "api")).isEmpty(), "namespace with only its name label").to.equal(true);
        const declared = buildNetwork([api, policy], { namespaces: [{ name: "ingress-nginx", labels: { purpose: "ingress" } }] });
        expect(allowedConnections(declared, controller, workload(declared, "api")).isEmpty()).to.equal(false);
        const inline = { pod: { ...controller.pod, namespaceLabels: { purpose: "ingress" } } };
        expect(allowedConnections(bare, inline, workload(bare, "api")).isEmpty()).to.equal(false);
    });

    it("applies rendered policies to an unrendered pod they select", () => {
        const net = buildNetwork([api, networkPolicy("monitoring", "deny", denyAll)]);
        const prometheus = { pod: { namespace: "monitoring", labels: { app: "prometheus" } } };
        expect(allowedConnections(net, prometheus, workload(net, "api")).isEmpty()).to.equal(true);
        expect(allowedConnections(net, { pod: { namespace: "elsewhere", labels: {} } }, workload(net, "api")).toString()).to.equal("All Connections");
    });
});

describe("connectivity: ipBlock", () => {
    const net = buildNetwork([
        api,
        web,
        networkPolicy("shop", "p", {
            podSelector: { matchLabels: { app: "api" } },
            policyTypes: ["Ingress", "Egress"],
            ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }] }],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }],
        }),
    ]);

    it("admits addresses in the cidr and not in an except", () => {
        expect(allowedConnections(net, { ip: "10.2.3.4" }, workload(net, "api")).toString()).to.equal("All Connections");
        expect(allowedConnections(net, { ip: "10.1.3.4" }, workload(net, "api")).isEmpty()).to.equal(true);
        expect(allowedConnections(net, { ip: "11.0.0.1" }, workload(net, "api")).isEmpty()).to.equal(true);
    });

    it("never matches a pod, even one whose address would be inside", () => {
        expect(allowedConnections(net, workload(net, "api"), workload(net, "web")).isEmpty()).to.equal(true);
        expect(allowedConnections(net, workload(net, "api"), { ip: "93.184.216.34" }).toString()).to.equal("TCP 443");
    });

    it("on a generic CNI matches the API server by its addresses (each of them)", () => {
        expect(allowedConnections(net, workload(net, "api"), { apiServer: { ips: ["20.1.2.3"] } }).toString()).to.equal("TCP 443");
        const restricted = buildNetwork([
            api,
            networkPolicy("shop", "p", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "20.1.2.3/32" } }] }] }),
        ]);
        expect(allowedConnections(restricted, workload(restricted, "api"), { apiServer: { ips: ["20.1.2.3"] } }).toString()).to.equal("All Connections");
        expect(allowedConnections(restricted, workload(restricted, "api"), { apiServer: { ips: ["20.1.2.3", "20.1.2.4"] } }).isEmpty()).to.equal(true);
    });
});

describe("connectivity: ports", () => {
    const withIngressPorts = (ports: unknown[]) =>
        buildNetwork([web, api, networkPolicy("shop", "p", { podSelector: { matchLabels: { app: "api" } }, ingress: [{ ports }] })]);

    it("a port without protocol is TCP", () => {
        const net = withIngressPorts([{ port: 9000 }]);
        const allowed = allowedConnections(net, workload(net, "web"), workload(net, "api"));
        expect(allowed.allows("TCP", 9000)).to.equal(true);
        expect(allowed.allows("UDP", 9000)).to.equal(false);
    });

    it("endPort allows the whole range", () => {
        const net = withIngressPorts([{ port: 32000, endPort: 32100, protocol: "UDP" }]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("UDP 32000-32100");
    });

    it("a protocol without a port allows every port of it", () => {
        const net = withIngressPorts([{ protocol: "SCTP" }]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("SCTP 1-65535");
    });

    it("an ingress named port resolves against the selected pod, protocol included", () => {
        const net = withIngressPorts([{ port: "http" }, { port: "dns", protocol: "UDP" }, { port: "dns" }, { port: "nope" }]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("TCP 9000,UDP 5353");
    });

    it("an egress named port resolves against each destination pod, and never for an address", () => {
        const net = buildNetwork([
            web,
            api,
            other,
            networkPolicy("shop", "p", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ ports: [{ port: "http" }] }] }),
        ]);
        expect(allowedConnections(net, workload(net, "web"), workload(net, "api")).toString()).to.equal("TCP 9000");
        expect(allowedConnections(net, workload(net, "web"), workload(net, "client")).isEmpty(), "client declares no http port").to.equal(true);
        expect(allowedConnections(net, workload(net, "web"), { ip: "1.1.1.1" }).isEmpty()).to.equal(true);
        expect(
            allowedConnections(net, workload(net, "web"), {
                pod: { namespace: "x", labels: {}, ports: [{ name: "http", containerPort: 80, protocol: "TCP" }] },
            }).toString(),
        ).to.equal("TCP 80");
    });
});

describe("connectivity: policies the API server would reject", () => {
    it("are reported with the object and left out", () => {
        const net = buildNetwork([
            api,
            networkPolicy("shop", "bad-op", { podSelector: { matchExpressions: [{ key: "a", operator: "Equals", values: ["b"] }] }, policyTypes: ["Ingress"] }),
            networkPolicy("shop", "bad-cidr", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["11.0.0.0/16"] } }] }] }),
        ]);
        expect(net.problems.map((problem) => problem.name)).to.deep.equal(["bad-op", "bad-cidr"]);
        expect(net.problems[0]!.message).to.contain("operator");
        expect(net.problems[1]!.message).to.contain("not inside cidr");
        expect(allowedConnections(net, { ip: "1.2.3.4" }, workload(net, "api")).toString()).to.equal("All Connections");
    });
});
