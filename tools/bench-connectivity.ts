/**
 * npm run bench:connectivity -- [workloads] [policies]
 * Times buildNetwork + listConnections (+ txt formatting) over a generated cluster:
 * 1,000 Deployments in 50 namespaces and 1,000 NetworkPolicies by default (per namespace a
 * default deny and a DNS allowance; per workload an allow-list policy with pod, namespace,
 * named-port and ipBlock peers), then the same workloads with no policy at all (every pair
 * listed, the largest output). The target is under 5 s for listConnections on 2 cores.
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { buildNetwork, formatTxt, listConnections } from "./connectivity/index";

const USAGE = "usage: npm run bench:connectivity -- [workloads] [policies]";

/** The two counts (default 1,000 each), or undefined when the arguments are not two whole numbers at most. */
function counts(argv: string[]): [number, number] | undefined {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
    if (values.help) {
        process.stdout.write(`${USAGE}\n\nTimes buildNetwork, listConnections and formatTxt over a generated cluster (default 1,000 of each).\n`);
        process.exit(0);
    }
    const numbers = positionals.map(Number);
    if (numbers.length > 2 || numbers.some((n) => !Number.isInteger(n) || n < 0)) return undefined;
    return [numbers[0] ?? 1000, numbers[1] ?? 1000];
}

let parsed: [number, number] | undefined;
try {
    parsed = counts(process.argv.slice(2));
} catch {
    parsed = undefined;
}
if (!parsed) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
}
const [workloadCount, policyCount] = parsed;
const namespaceCount = Math.max(1, Math.round(workloadCount / 20));

function namespaceName(index: number): string {
    return `team-${index % namespaceCount}`;
}

function deployment(index: number): Record<string, unknown> {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `svc-${index}`, namespace: namespaceName(index) },
        spec: {
            template: {
                metadata: { labels: { app: `svc-${index}`, tier: index % 3 === 0 ? "frontend" : "backend" } },
                spec: {
                    containers: [
                        {
                            name: "app",
                            image: "app",
                            ports: [
                                { name: "http", containerPort: 8080 },
                                { name: "metrics", containerPort: 9090 },
                            ],
                        },
                    ],
                },
            },
        },
    };
}

function namespacePolicies(namespace: number): Record<string, unknown>[] {
    const metadata = (name: string) => ({ name, namespace: `team-${namespace}` });
    return [
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: metadata("default-deny"),
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: metadata("allow-dns"),
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [
                            {
                                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                            },
                        ],
                        ports: [
                            { port: 53, protocol: "UDP" },
                            { port: 53, protocol: "TCP" },
                        ],
                    },
                ],
            },
        },
    ];
}

/** Workload i accepts from a peer, its namespace's frontends and the namespace 7 back; sends to a peer and the namespace 7 on. */
function workloadPolicy(index: number): Record<string, unknown> {
    const peerApp = (offset: number) => `svc-${(index + workloadCount - offset) % workloadCount}`;
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: `allow-svc-${index}`, namespace: namespaceName(index) },
        spec: {
            podSelector: { matchLabels: { app: `svc-${index}` } },
            ingress: [
                {
                    from: [
                        { podSelector: { matchLabels: { app: peerApp(namespaceCount) } } },
                        { podSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["frontend"] }] } },
                        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespaceName(index + namespaceCount - 7) } } },
                    ],
                    ports: [{ port: "http" }],
                },
                { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ port: "metrics" }] },
                { from: [{ ipBlock: { cidr: `10.${index % 256}.0.0/16`, except: [`10.${index % 256}.1.0/24`] } }], ports: [{ port: 8080, endPort: 8090 }] },
            ],
            egress: [
                {
                    to: [
                        { namespaceSelector: {}, podSelector: { matchLabels: { app: peerApp(1) } } },
                        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespaceName(index + 7) } } },
                    ],
                    ports: [{ port: "http" }, { port: 9090 }],
                },
                { to: [{ ipBlock: { cidr: `172.${16 + (index % 16)}.0.0/16` } }], ports: [{ port: 443 }] },
            ],
        },
    };
}

function generate(withPolicies: boolean): Record<string, unknown>[] {
    const objects: Record<string, unknown>[] = [];
    for (let i = 0; i < workloadCount; i++) objects.push(deployment(i));
    if (!withPolicies) return objects;
    let policies = 0;
    for (let n = 0; n < namespaceCount && policies < policyCount; n++) {
        for (const policy of namespacePolicies(n)) if (policies++ < policyCount) objects.push(policy);
    }
    for (let i = 0; policies < policyCount; i++, policies++) objects.push(workloadPolicy(i % workloadCount));
    return objects;
}

interface Timing {
    readonly wall: number;
    /** User + system CPU of this process (GC threads included): the honest number on a busy machine. */
    readonly cpu: number;
}

function time<T>(run: () => T): [T, Timing] {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = run();
    const used = process.cpuUsage(cpu);
    return [result, { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 }];
}

function show(timing: Timing): string {
    return `${timing.wall.toFixed(0)} ms (cpu ${timing.cpu.toFixed(0)} ms)`;
}

function bench(label: string, withPolicies: boolean): void {
    const objects = generate(withPolicies);
    const [net, build] = time(() => buildNetwork(objects));
    const [lines, list] = time(() => listConnections(net));
    const [text, format] = time(() => formatTxt(lines));
    const total = { wall: build.wall + list.wall + format.wall, cpu: build.cpu + list.cpu + format.cpu };
    process.stdout.write(
        `${label}: ${net.workloads.length} workloads, ${net.policies.length} policies\n` +
            `  buildNetwork    ${show(build)}\n  listConnections ${show(list)}, ${lines.length} lines\n` +
            `  formatTxt       ${show(format)}, ${(text.length / 1e6).toFixed(1)} MB\n  total           ${show(total)}\n`,
    );
}

process.stdout.write(
    `load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(" ")} on ${availableParallelism()} cores\n`,
);
bench("with policies", true);
bench("no policies", false);
