/** listConnections and its txt/json formats, on hand-written manifests. */
import { expect } from "chai";
import { allowedConnections, buildNetwork, ConnectionSet, formatJson, formatTxt, listConnections } from "../../../tools/connectivity";
import { formatIpv4 } from "../../../tools/connectivity/ip";
import { denyAll, deployment, namespace, networkPolicy } from "./fixtures";

describe("connectivity: connection sets print as netpol-analyzer does", () => {
    it("prints every protocol on every port as All Connections", () => {
        const full = ConnectionSet.fromRanges(["TCP", "UDP", "SCTP"].map((protocol) => ({ protocol: protocol as "TCP", from: 1, to: 65535 })));
        expect(full.toString()).to.equal("All Connections");
        expect(full.isAll()).to.equal(true);
    });

    it("orders protocols alphabetically and merges adjacent ports", () => {
        const set = ConnectionSet.ports("UDP", 53)
            .union(ConnectionSet.ports("TCP", 8082))
            .union(ConnectionSet.ports("TCP", 8081))
            .union(ConnectionSet.ports("SCTP", 7000, 7010))
            .union(ConnectionSet.ports("TCP", 80));
        expect(set.toString()).to.equal("SCTP 7000-7010,TCP 80,8081-8082,UDP 53");
    });

    it("intersects per protocol and answers allows()", () => {
        const set = ConnectionSet.ports("TCP", 8000, 8100).intersect(ConnectionSet.ports("TCP", 8050, 9000).union(ConnectionSet.ports("UDP", 8050)));
        expect(set.toString()).to.equal("TCP 8050-8100");
        expect(set.allows("TCP", 8075)).to.equal(true);
        expect(set.allows("TCP", 8101)).to.equal(false);
        expect(set.allows("UDP", 8050)).to.equal(false);
        expect(ConnectionSet.ports("TCP", 1).intersect(ConnectionSet.ports("UDP", 1)).isEmpty()).to.equal(true);
    });
});

describe("connectivity: the listing", () => {
    const objects = [
        deployment("default", "frontend", { app: "frontend" }),
        deployment("default", "backend", { app: "backend" }),
        deployment("default", "backend-db", { app: "db" }),
        networkPolicy("default", "deny", denyAll),
        networkPolicy("default", "frontend", {
            podSelector: { matchLabels: { app: "frontend" } },
            policyTypes: ["Ingress", "Egress"],
            ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16", "10.2.0.0/16"] } }], ports: [{ port: 443 }] }],
            egress: [{ to: [{ podSelector: { matchLabels: { app: "backend" } } }], ports: [{ port: 9090 }] }, { ports: [{ port: 53, protocol: "UDP" }] }],
        }),
        networkPolicy("default", "backend", {
            podSelector: { matchLabels: { app: "backend" } },
            ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 9090 }, { port: 9091 }] }],
        }),
        networkPolicy("default", "db", {
            podSelector: { matchLabels: { app: "db" } },
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "frontend" } } }] }],
        }),
    ];
    const txt = formatTxt(listConnections(buildNetwork(objects)));

    it("prints src => dst : conn lines sorted byte-wise, ranges first, '-' before '['", () => {
        expect(txt).to.equal(
            [
                "10.0.0.0-10.0.255.255[External] => default/frontend[Deployment] : TCP 443",
                "10.3.0.0-10.255.255.255[External] => default/frontend[Deployment] : TCP 443",
                "default/frontend[Deployment] => 0.0.0.0-255.255.255.255[External] : UDP 53",
                "default/frontend[Deployment] => default/backend-db[Deployment] : UDP 53",
                "default/frontend[Deployment] => default/backend[Deployment] : TCP 9090",
                "",
            ].join("\n"),
        );
    });

    it("splits the source space only at ingress blocks, adjacent excepts leaving one gap", () => {
        const sources = new Set(
            listConnections(buildNetwork(objects))
                .filter((line) => line.src.endsWith("[External]"))
                .map((line) => line.src),
        );
        expect([...sources]).to.deep.equal(["10.0.0.0-10.0.255.255[External]", "10.3.0.0-10.255.255.255[External]"]);
    });

    it("never lists a workload to itself, and lists the whole space when no ipBlock cuts it", () => {
        const lines = listConnections(buildNetwork([deployment("a", "one", { app: "one" }), deployment("a", "two", { app: "two" })]));
        expect(lines.map((line) => `${line.src} => ${line.dst}`)).to.deep.equal([
            "0.0.0.0-255.255.255.255[External] => a/one[Deployment]",
            "0.0.0.0-255.255.255.255[External] => a/two[Deployment]",
            "a/one[Deployment] => 0.0.0.0-255.255.255.255[External]",
            "a/one[Deployment] => a/two[Deployment]",
            "a/two[Deployment] => 0.0.0.0-255.255.255.255[External]",
            "a/two[Deployment] => a/one[Deployment]",
        ]);
    });

    it("json holds src, dst, conn in txt order, two-space indented, without a trailing newline", () => {
        const lines = listConnections(buildNetwork(objects));
        const json = formatJson(lines);
        expect(json.endsWith("]")).to.equal(true);
        expect(json).to.contain('\n  {\n    "src": "10.0.0.0-10.0.255.255[External]",\n    "dst": "default/frontend[Deployment]",\n    "conn": "TCP 443"\n  }');
        expect((JSON.parse(json) as { src: string; dst: string; conn: string }[]).map((row) => `${row.src} => ${row.dst} : ${row.conn}\n`).join("")).to.equal(
            txt,
        );
    });

    it("an empty result is an empty txt and [] in json", () => {
        const lines = listConnections(buildNetwork([deployment("a", "one", { app: "one" }), networkPolicy("a", "deny", denyAll)]));
        expect(formatTxt(lines)).to.equal("");
        expect(formatJson(lines)).to.equal("[]");
    });
});

describe("connectivity: workload names", () => {
    const pod = (name: string, owner?: Record<string, unknown>, namespaceName?: string) => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
            name,
            ...(namespaceName === undefined ? {} : { namespace: namespaceName }),
            labels: { app: name },
            ...(owner === undefined ? {} : { ownerReferences: [owner] }),
        },
        spec: { containers: [{ name: "c", image: "i" }] },
    });

    it("names pods by their controlling owner (not a Node), kind missing reads as Pod, no namespace reads as default", () => {
        const net = buildNetwork([
            pod("web-abc", { kind: "ReplicaSet", name: "web-5d4f", controller: true }, "shop"),
            pod("web-def", { kind: "ReplicaSet", name: "web-5d4f", controller: true }, "shop"),
            pod("etcd-node1", { kind: "Node", name: "node1", controller: true }, "kube-system"),
            pod("helper", { name: "owner-without-kind", controller: true }),
            pod("loose", { kind: "ReplicaSet", name: "not-controller", controller: false }),
        ]);
        expect(net.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}]`)).to.deep.equal([
            "shop/web-5d4f[ReplicaSet]",
            "kube-system/etcd-node1[Pod]",
            "default/owner-without-kind[Pod]",
            "default/loose[Pod]",
        ]);
    });

    it("reads the pod template of every controller kind, CronJob through its jobTemplate", () => {
        const template = {
            metadata: { labels: { app: "x" } },
            spec: { containers: [{ name: "c", image: "i", ports: [{ name: "http", containerPort: 80 }] }] },
        };
        const objects = [
            { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "s", namespace: "n" }, spec: { template } },
            { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "d", namespace: "n" }, spec: { template } },
            { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "r", namespace: "n" }, spec: { template } },
            { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j", namespace: "n" }, spec: { template } },
            { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c", namespace: "n" }, spec: { jobTemplate: { spec: { template } } } },
            { apiVersion: "v1", kind: "Service", metadata: { name: "svc", namespace: "n" }, spec: {} },
        ];
        const net = buildNetwork(objects);
        expect(net.workloads.map((w) => w.kind)).to.deep.equal(["StatefulSet", "DaemonSet", "ReplicationController", "Job", "CronJob"]);
        expect(net.workloads.every((w) => w.podLabels["app"] === "x" && w.ports[0]?.name === "http" && w.ports[0].protocol === "TCP")).to.equal(true);
    });
});

describe("connectivity: the listing and the pairwise evaluator", () => {
    it("give the same connections for every pair, named ports and ipBlocks included", () => {
        const ports = [
            { name: "http", containerPort: 8080 },
            { name: "dns", containerPort: 53, protocol: "UDP" },
        ];
        const objects = [
            namespace("a", { team: "a" }),
            deployment("a", "one", { app: "one", tier: "web" }, ports),
            deployment("a", "two", { app: "two" }, [{ name: "http", containerPort: 9090 }]),
            deployment("b", "three", { app: "three", tier: "web" }),
            networkPolicy("a", "one", {
                podSelector: { matchLabels: { app: "one" } },
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    {
                        from: [
                            { namespaceSelector: {}, podSelector: { matchLabels: { tier: "web" } } },
                            { ipBlock: { cidr: "192.168.0.0/16", except: ["192.168.1.0/24"] } },
                        ],
                        ports: [{ port: "http" }, { port: "dns", protocol: "UDP" }],
                    },
                ],
                egress: [
                    { to: [{ podSelector: {} }], ports: [{ port: "http" }] },
                    { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443 }, { port: "http" }] },
                ],
            }),
            networkPolicy("b", "three", {
                podSelector: {},
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "a" } } }], ports: [{ port: 7000, endPort: 7002 }] }],
            }),
        ];
        const net = buildNetwork(objects);
        const lines = listConnections(net);
        const endpointOf = (peer: (typeof lines)[number]["from"]) =>
            "workload" in peer ? { workload: peer.workload } : { ip: formatIpv4(peer.ipRange.start) };
        const listed = new Map(lines.map((line) => [`${line.src} ${line.dst}`, line.conn]));
        // Source ranges come from ingress blocks, destination ranges from egress blocks.
        const sources = [...new Map(lines.map((line) => [line.src, line.from] as const)).entries()];
        const destinations = [...new Map(lines.map((line) => [line.dst, line.to] as const)).entries()];
        let compared = 0;
        for (const [srcName, src] of sources) {
            for (const [dstName, dst] of destinations) {
                if (srcName === dstName || ("ipRange" in src && "ipRange" in dst)) continue;
                const expected = allowedConnections(net, endpointOf(src), endpointOf(dst));
                expect(listed.get(`${srcName} ${dstName}`) ?? "No Connections", `${srcName} => ${dstName}`).to.equal(expected.toString());
                compared++;
            }
        }
        expect(compared).to.be.greaterThan(20);
        expect(listed.get("a/one[Deployment] a/two[Deployment]")).to.equal("TCP 9090");
    });
});
