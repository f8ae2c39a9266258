/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2), the subset the
 * platform uses, in the evaluator's common form. Semantics from Cilium's policy docs:
 * https://docs.cilium.io/en/stable/security/policy/language/ (endpoints, entities, CIDR,
 * toPorts) and https://docs.cilium.io/en/stable/security/policy/intro/ (default deny).
 */
import { arrayAt, isPlainObject, objectAt, stringAt, type PlainObject } from "../../policies/rules/values";
import { protocols as allProtocols, type Protocol } from "./connections";
import { parseCidr, type CidrRange, type IpBlock } from "./ip";
import { allPeers, ciliumEntities, ciliumNamespaceKey, type CiliumEntity, type Peer, type Policy, type Rule } from "./model";
import { allPorts, buildPortSpec, portValue, type PortEntry } from "./ports";
import { compileSelector, PolicyError } from "./selectors";
import { namespaceOf } from "./workloads";

export function isCiliumPolicy(object: PlainObject): boolean {
    const apiVersion = stringAt(object["apiVersion"]) ?? "";
    return apiVersion.startsWith("cilium.io/") && (object["kind"] === "CiliumNetworkPolicy" || object["kind"] === "CiliumClusterwideNetworkPolicy");
}

/** Fields the evaluator cannot model; a rule using them is read as matching no peer there. */
const unsupportedIngress = ["fromRequires", "fromNodes", "fromGroups"];
const unsupportedEgress = ["toRequires", "toNodes", "toGroups", "toServices", "toFQDNs"];

/** Label keys may carry a source prefix: "k8s:app" and "any:app" select the pod label "app". */
function stripSource(key: string): string {
    return key.startsWith("k8s:") ? key.slice(4) : key.startsWith("any:") ? key.slice(4) : key;
}

function readCidr(raw: unknown, where: string): CidrRange {
    const range = typeof raw === "string" ? parseCidr(raw, true) : undefined;
    if (range === undefined) throw new PolicyError(`${where} must be a CIDR such as 10.0.0.0/8 (got ${JSON.stringify(raw)})`);
    return range;
}

function readEntity(raw: unknown, where: string): CiliumEntity {
    if (typeof raw !== "string" || !(ciliumEntities as readonly string[]).includes(raw)) {
        throw new PolicyError(`${where} must be one of ${ciliumEntities.join(", ")} (got ${JSON.stringify(raw)})`);
    }
    return raw as CiliumEntity;
}

/**
 * An endpoint selector. In a namespaced policy it is confined to the policy's namespace
 * unless it names the namespace label itself (cilium/cilium#14580: "An empty
 * EndpointSelector will select all endpoints in the CNP namespace"). A selector for one
 * reserved label ("reserved:kube-apiserver") is that entity.
 */
function readEndpoints(raw: unknown, namespace: string | undefined, where: string): Peer {
    const matchLabels = objectAt(objectAt(raw)?.["matchLabels"]);
    const keys = Object.keys(matchLabels ?? {});
    if (keys.length === 1 && keys[0]!.startsWith("reserved:") && objectAt(raw)?.["matchExpressions"] === undefined) {
        return { type: "entity", entity: readEntity(keys[0]!.slice("reserved:".length), `${where}.matchLabels`) };
    }
    const selector = compileSelector(raw, where, stripSource);
    // Unscoped, {} is Cilium's wildcard selector, the same one the entity `all` maps to
    // (pkg/policy/api/entity.go): it selects every identity, addresses included.
    if (namespace === undefined && selector.isEmpty) return allPeers;
    const scoped = namespace !== undefined && !selector.keys.includes(ciliumNamespaceKey);
    return { type: "ciliumEndpoints", ...(scoped ? { namespace } : {}), selector };
}

/** toPorts: protocol defaults to ANY (TCP, UDP and SCTP here); port "0" or none is every port. */
function readToPorts(raw: unknown, where: string): Rule["ports"] {
    const portRules = arrayAt(raw);
    if (portRules.length === 0) return allPorts;
    const entries: PortEntry[] = [];
    portRules.forEach((portRule, ruleIndex) => {
        const ports = arrayAt(objectAt(portRule)?.["ports"]);
        if (ports.length === 0) entries.push({ protocols: allProtocols });
        ports.forEach((port, index) => {
            const at = `${where}[${ruleIndex}].ports[${index}]`;
            const entry = objectAt(port) ?? {};
            const protocol = entry["protocol"] ?? "ANY";
            if (protocol !== "ANY" && protocol !== "TCP" && protocol !== "UDP" && protocol !== "SCTP") {
                throw new PolicyError(`${at}.protocol must be TCP, UDP, SCTP or ANY (got ${JSON.stringify(protocol)})`);
            }
            const value = portValue(entry["port"], `${at}.port`);
            const endPort = typeof entry["endPort"] === "number" && entry["endPort"] > 0 ? entry["endPort"] : undefined;
            entries.push({
                protocols: protocol === "ANY" ? allProtocols : [protocol as Protocol],
                ...(value === undefined || value === 0 ? {} : { port: value }),
                ...(endPort === undefined ? {} : { endPort }),
            });
        });
    });
    return buildPortSpec(entries, where);
}

function readRule(raw: unknown, direction: "from" | "to", namespace: string | undefined, where: string, notes: string[]): Rule {
    const rule = objectAt(raw) ?? {};
    const peers: Peer[] = [];
    arrayAt(rule[`${direction}Endpoints`]).forEach((selector, index) =>
        peers.push(readEndpoints(selector, namespace, `${where}.${direction}Endpoints[${index}]`)),
    );
    arrayAt(rule[`${direction}Entities`]).forEach((entity, index) =>
        peers.push({ type: "entity", entity: readEntity(entity, `${where}.${direction}Entities[${index}]`) }),
    );
    arrayAt(rule[`${direction}CIDR`]).forEach((cidr, index) =>
        peers.push({ type: "ipBlock", block: { cidr: readCidr(cidr, `${where}.${direction}CIDR[${index}]`), except: [] } }),
    );
    arrayAt(rule[`${direction}CIDRSet`]).forEach((entry, index) => {
        const at = `${where}.${direction}CIDRSet[${index}]`;
        const set = objectAt(entry) ?? {};
        if (set["cidr"] === undefined) {
            notes.push(`${at}: only cidr is modelled (cidrGroupRef/cidrGroupSelector match nothing here)`);
            return;
        }
        const block: IpBlock = {
            cidr: readCidr(set["cidr"], `${at}.cidr`),
            except: arrayAt(set["except"]).map((except, i) => readCidr(except, `${at}.except[${i}]`)),
        };
        peers.push({ type: "ipBlock", block });
    });
    const unsupported = (direction === "from" ? unsupportedIngress : unsupportedEgress).filter((field) => rule[field] !== undefined);
    for (const field of unsupported) notes.push(`${where}.${field} is not modelled: it matches no peer here`);
    const l3Fields = ["Endpoints", "Entities", "CIDR", "CIDRSet"].map((suffix) => `${direction}${suffix}`);
    const hasL3 = unsupported.length > 0 || l3Fields.some((field) => arrayAt(rule[field]).length > 0);
    const ports = readToPorts(rule["toPorts"], `${where}.toPorts`);
    // A rule with ports but no peer field allows those ports to and from every peer; an empty
    // rule ({}) allows nothing (the documented way to make an endpoint default-deny).
    if (!hasL3 && rule["toPorts"] !== undefined) return { peers: [allPeers], ports };
    return { peers, ports };
}

/**
 * Default deny per direction: on by default when the spec has rules (allow or deny) for the
 * direction, overridable with enableDefaultDeny (Cilium 1.15+). Deny rules are not modelled.
 */
function isolates(spec: PlainObject, direction: "ingress" | "egress"): boolean {
    const explicit = objectAt(spec["enableDefaultDeny"])?.[direction];
    if (typeof explicit === "boolean") return explicit;
    return arrayAt(spec[direction]).length > 0 || arrayAt(spec[`${direction}Deny`]).length > 0;
}

function compileSpec(spec: PlainObject, ref: Policy["ref"], namespace: string | undefined, where: string, notes: string[]): Policy | undefined {
    if (spec["nodeSelector"] !== undefined) {
        notes.push(`${where}.nodeSelector: host policies are not modelled; spec ignored`);
        return undefined;
    }
    if (!isPlainObject(spec["endpointSelector"])) throw new PolicyError(`${where}.endpointSelector is required`);
    const selector = compileSelector(spec["endpointSelector"], `${where}.endpointSelector`, stripSource);
    const subject: Peer = { type: "ciliumEndpoints", ...(namespace === undefined ? {} : { namespace }), selector };
    for (const deny of ["ingressDeny", "egressDeny"]) {
        if (arrayAt(spec[deny]).length > 0) notes.push(`${where}.${deny}: deny rules are not modelled (connections they deny are reported as allowed)`);
    }
    const rules = (direction: "ingress" | "egress"): Rule[] =>
        arrayAt(spec[direction]).map((rule, index) =>
            readRule(rule, direction === "ingress" ? "from" : "to", namespace, `${where}.${direction}[${index}]`, notes),
        );
    return {
        ref,
        subject,
        ...(isolates(spec, "ingress") ? { ingress: rules("ingress") } : {}),
        ...(isolates(spec, "egress") ? { egress: rules("egress") } : {}),
    };
}

/** One common-form policy per spec (a CNP may hold `spec` and a list `specs`). */
export function compileCiliumPolicy(object: PlainObject, notes: string[]): Policy[] {
    const clusterwide = object["kind"] === "CiliumClusterwideNetworkPolicy";
    const namespace = clusterwide ? undefined : namespaceOf(object);
    const name = stringAt(objectAt(object["metadata"])?.["name"]) ?? "";
    const ref = { kind: String(object["kind"]), ...(namespace === undefined ? {} : { namespace }), name };
    const policies: Policy[] = [];
    const single = objectAt(object["spec"]);
    if (single !== undefined) {
        const policy = compileSpec(single, ref, namespace, "spec", notes);
        if (policy !== undefined) policies.push(policy);
    }
    arrayAt(object["specs"]).forEach((spec, index) => {
        const policy = compileSpec(objectAt(spec) ?? {}, ref, namespace, `specs[${index}]`, notes);
        if (policy !== undefined) policies.push(policy);
    });
    if (single === undefined && arrayAt(object["specs"]).length === 0) throw new PolicyError("needs spec or specs");
    return policies;
}
