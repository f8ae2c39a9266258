/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) in the evaluator's common form.
 * Semantics from the API reference,
 * https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 * and https://kubernetes.io/docs/concepts/services-networking/network-policies/.
 */
import { arrayAt, isPlainObject, objectAt, stringAt, type PlainObject } from "../../policies/rules/values";
import type { Protocol } from "./connections";
import { parseCidr, type CidrRange, type IpBlock } from "./ip";
import { allPeers, type Peer, type Policy, type Rule } from "./model";
import { allPorts, buildPortSpec, portValue, type PortEntry } from "./ports";
import { compileSelector, PolicyError } from "./selectors";
import { namespaceOf } from "./workloads";

export function isNetworkPolicy(object: PlainObject): boolean {
    const apiVersion = stringAt(object["apiVersion"]) ?? "";
    return object["kind"] === "NetworkPolicy" && (apiVersion.startsWith("networking.k8s.io/") || apiVersion.startsWith("extensions/"));
}

const protocols: ReadonlySet<string> = new Set(["TCP", "UDP", "SCTP"]);

function readCidr(raw: unknown, where: string): CidrRange {
    const range = typeof raw === "string" ? parseCidr(raw) : undefined;
    if (range === undefined) throw new PolicyError(`${where} must be a CIDR such as 10.0.0.0/8 (got ${JSON.stringify(raw)})`);
    return range;
}

/** ipBlock: cidr, minus except ranges, which the API server requires to lie inside cidr. */
function readIpBlock(raw: PlainObject, where: string): IpBlock {
    const cidr = readCidr(raw["cidr"], `${where}.cidr`);
    const except = arrayAt(raw["except"]).map((entry, index) => {
        const range = readCidr(entry, `${where}.except[${index}]`);
        if (range.family !== cidr.family || range.start < cidr.start || range.end > cidr.end) {
            throw new PolicyError(`${where}.except[${index}] ${String(entry)} is not inside cidr ${String(raw["cidr"])}`);
        }
        return range;
    });
    return { cidr, except };
}

/**
 * One NetworkPolicyPeer. podSelector alone: pods of the policy's namespace. namespaceSelector
 * alone: every pod of the matching namespaces. Both in one peer: pods matching podSelector in
 * namespaces matching namespaceSelector (AND). ipBlock: addresses, never pods.
 */
function readPeer(raw: unknown, namespace: string, where: string): Peer {
    if (!isPlainObject(raw)) throw new PolicyError(`${where} must be an object`);
    const hasPods = raw["podSelector"] !== undefined && raw["podSelector"] !== null;
    const hasNamespaces = raw["namespaceSelector"] !== undefined && raw["namespaceSelector"] !== null;
    const ipBlock = objectAt(raw["ipBlock"]);
    if (ipBlock !== undefined) {
        if (hasPods || hasNamespaces) throw new PolicyError(`${where}: ipBlock cannot be combined with podSelector or namespaceSelector`);
        return { type: "ipBlock", block: readIpBlock(ipBlock, `${where}.ipBlock`) };
    }
    if (!hasPods && !hasNamespaces) throw new PolicyError(`${where} needs podSelector, namespaceSelector or ipBlock`);
    const podSelector = compileSelector(raw["podSelector"], `${where}.podSelector`);
    if (!hasNamespaces) return { type: "pods", namespace, podSelector };
    return { type: "pods", namespaceSelector: compileSelector(raw["namespaceSelector"], `${where}.namespaceSelector`), podSelector };
}

/** NetworkPolicyPort: protocol defaults to TCP; no port means every port of the protocol. */
function readPortEntry(raw: unknown, where: string): PortEntry {
    if (!isPlainObject(raw)) throw new PolicyError(`${where} must be an object`);
    const protocol = raw["protocol"] ?? "TCP";
    if (typeof protocol !== "string" || !protocols.has(protocol))
        throw new PolicyError(`${where}.protocol must be TCP, UDP or SCTP (got ${JSON.stringify(protocol)})`);
    const port = portValue(raw["port"], `${where}.port`);
    const endPort = raw["endPort"];
    if (endPort !== undefined && endPort !== null && typeof endPort !== "number") throw new PolicyError(`${where}.endPort must be a number`);
    if (typeof endPort === "number" && port === undefined) throw new PolicyError(`${where}.endPort needs a port`);
    return { protocols: [protocol as Protocol], ...(port === undefined ? {} : { port }), ...(typeof endPort === "number" ? { endPort } : {}) };
}

/** An empty or missing from/to matches every peer; empty or missing ports, every port. */
function readRule(raw: unknown, peersField: "from" | "to", namespace: string, where: string): Rule {
    const rule = objectAt(raw) ?? {};
    const rawPeers = arrayAt(rule[peersField]);
    const peers = rawPeers.length === 0 ? [allPeers] : rawPeers.map((peer, index) => readPeer(peer, namespace, `${where}.${peersField}[${index}]`));
    const rawPorts = arrayAt(rule["ports"]);
    const ports =
        rawPorts.length === 0
            ? allPorts
            : buildPortSpec(
                  rawPorts.map((port, index) => readPortEntry(port, `${where}.ports[${index}]`)),
                  `${where}.ports`,
              );
    return { peers, ports };
}

/**
 * policyTypes, when absent, is Ingress plus Egress if the policy has egress rules. A pod
 * selected by a policy whose policyTypes name a direction is default-deny in that direction,
 * even with no rules; the rules of a direction not named are ignored.
 */
function policyTypesOf(spec: PlainObject, where: string): { ingress: boolean; egress: boolean } {
    const raw = spec["policyTypes"];
    if (raw === undefined || raw === null) return { ingress: true, egress: arrayAt(spec["egress"]).length > 0 };
    if (!Array.isArray(raw)) throw new PolicyError(`${where}.policyTypes must be a list`);
    for (const type of raw) {
        if (type !== "Ingress" && type !== "Egress")
            throw new PolicyError(`${where}.policyTypes must hold Ingress and/or Egress (got ${JSON.stringify(type)})`);
    }
    return { ingress: raw.includes("Ingress"), egress: raw.includes("Egress") };
}

export function compileNetworkPolicy(object: PlainObject): Policy {
    const namespace = namespaceOf(object);
    const name = stringAt(objectAt(object["metadata"])?.["name"]) ?? "";
    const spec = objectAt(object["spec"]) ?? {};
    const types = policyTypesOf(spec, "spec");
    const subject: Peer = { type: "pods", namespace, podSelector: compileSelector(spec["podSelector"], "spec.podSelector") };
    const rules = (field: "ingress" | "egress", peersField: "from" | "to"): Rule[] =>
        arrayAt(spec[field]).map((rule, index) => readRule(rule, peersField, namespace, `spec.${field}[${index}]`));
    return {
        ref: { kind: "NetworkPolicy", namespace, name },
        subject,
        ...(types.ingress ? { ingress: rules("ingress", "from") } : {}),
        ...(types.egress ? { egress: rules("egress", "to") } : {}),
    };
}
