/**
 * Rule `names`: names, labels and annotations the API server would reject. The OpenAPI
 * schemas say only "string"; the rules live in k8s.io/apimachinery/pkg/util/validation
 * (IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label, IsQualifiedName, IsValidLabelValue,
 * IsValidPortName) and apimachinery's ValidateAnnotations (256 KiB in total), plus per-kind
 * rules in kubernetes/pkg/apis/<group>/validation: a Service name is a DNS-1035 label, a Namespace a
 * DNS-1123 label, a CronJob name at most 52 characters (its Jobs add 11), RBAC names path
 * segments.
 */
import { extractWorkload } from "../../policies/rules/pod-spec";
import { arrayAt, objectAt, stringAt } from "../../policies/rules/values";
import type { KubernetesObject } from "../render/manifests";
import { objectRef, type Finding } from "./findings";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
export const ANNOTATIONS_LIMIT = 256 * 1024;

export function dns1123LabelProblem(value: string): string | undefined {
    if (value.length > 63) return "must be no more than 63 characters";
    return DNS1123_LABEL.test(value) ? undefined : "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending alphanumeric)";
}

export function dns1123SubdomainProblem(value: string): string | undefined {
    if (value.length > 253) return "must be no more than 253 characters";
    return DNS1123_SUBDOMAIN.test(value)
        ? undefined
        : "must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending alphanumeric)";
}

function dns1035LabelProblem(value: string): string | undefined {
    if (value.length > 63) return "must be no more than 63 characters";
    return DNS1035_LABEL.test(value) ? undefined : "must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter)";
}

function pathSegmentProblem(value: string): string | undefined {
    return value === "." || value === ".." || /[/%]/.test(value) ? "must not be '.' or '..' nor contain '/' or '%'" : undefined;
}

export function qualifiedNameProblem(key: string): string | undefined {
    const parts = key.split("/");
    if (parts.length > 2) return "must be a qualified name: an optional DNS subdomain prefix and '/', then a name";
    const name = parts.pop()!;
    const prefix = parts[0];
    if (prefix !== undefined && (prefix.length === 0 || dns1123SubdomainProblem(prefix))) return `prefix "${prefix}" must be a DNS-1123 subdomain`;
    if (name.length === 0 || name.length > 63) return "name part must be 1 to 63 characters";
    return QUALIFIED_NAME_PART.test(name) ? undefined : "name part must be alphanumerics, '-', '_' or '.', starting and ending alphanumeric";
}

export function labelValueProblem(value: string): string | undefined {
    if (value.length > 63) return "must be no more than 63 characters";
    return value === "" || QUALIFIED_NAME_PART.test(value) ? undefined : "must be empty or alphanumerics, '-', '_' or '.', starting and ending alphanumeric";
}

export function portNameProblem(name: string): string | undefined {
    if (name.length > 15) return "must be no more than 15 characters";
    if (!PORT_NAME.test(name) || name.includes("--")) return "must be lowercase letters, digits and single '-', starting and ending alphanumeric";
    return /[a-z]/.test(name) ? undefined : "must contain at least one letter";
}

const RBAC_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

function nameProblem(object: KubernetesObject): string | undefined {
    const name = object.metadata.name;
    if (object.kind === "Service") return dns1035LabelProblem(name);
    if (object.kind === "Namespace") return dns1123LabelProblem(name);
    if (RBAC_KINDS.has(object.kind) && object.apiVersion.startsWith("rbac.authorization.k8s.io/")) return pathSegmentProblem(name);
    if (object.kind === "CronJob" && name.length > 52) return "must be no more than 52 characters (the CronJob controller appends 11 to name its Jobs)";
    if (object.kind === "Job" && name.length > 63) return "must be no more than 63 characters (it becomes the job-name label of its pods)";
    return dns1123SubdomainProblem(name);
}

function labelProblems(labels: unknown, where: string): string[] {
    return Object.entries(objectAt(labels) ?? {}).flatMap(([key, value]) => {
        const problems: string[] = [];
        const keyProblem = qualifiedNameProblem(key);
        if (keyProblem) problems.push(`${where} label key "${key}": ${keyProblem}`);
        const valueProblem = typeof value === "string" ? labelValueProblem(value) : "must be a string";
        if (valueProblem) problems.push(`${where} label ${key}="${String(value)}": ${valueProblem}`);
        return problems;
    });
}

function annotationProblems(annotations: unknown, where: string): string[] {
    const entries = Object.entries(objectAt(annotations) ?? {});
    const problems = entries.flatMap(([key]) => {
        const problem = qualifiedNameProblem(key.toLowerCase());
        return problem ? [`${where} annotation key "${key}": ${problem}`] : [];
    });
    const size = entries.reduce((total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(String(value)), 0);
    if (size > ANNOTATIONS_LIMIT) problems.push(`${where} annotations total ${size} bytes, more than the API server's ${ANNOTATIONS_LIMIT}`);
    return problems;
}

export function nameFindings(objects: readonly KubernetesObject[]): Finding[] {
    const findings: Finding[] = [];
    for (const object of objects) {
        const problems: string[] = [];
        const name = nameProblem(object);
        if (name) problems.push(`name "${object.metadata.name}" ${name}`);
        problems.push(...labelProblems(object.metadata.labels, "metadata"), ...annotationProblems(object.metadata.annotations, "metadata"));
        const workload = extractWorkload(object);
        if (workload) {
            problems.push(
                ...labelProblems(workload.podMetadata["labels"], "pod template"),
                ...annotationProblems(workload.podMetadata["annotations"], "pod template"),
            );
            for (const container of workload.containers) {
                const containerName = stringAt(container.spec["name"]);
                const problem = containerName === undefined ? "is missing" : dns1123LabelProblem(containerName);
                if (problem) problems.push(`container name "${containerName ?? ""}" ${problem}`);
                for (const port of arrayAt(container.spec["ports"])) {
                    const portName = stringAt(objectAt(port)?.["name"]);
                    const portProblem = portName === undefined ? undefined : portNameProblem(portName);
                    if (portProblem) problems.push(`container "${containerName}" port name "${portName}" ${portProblem}`);
                }
            }
        }
        if (object.kind === "Service") {
            for (const port of arrayAt(objectAt(object["spec"])?.["ports"])) {
                const portName = stringAt(objectAt(port)?.["name"]);
                const portProblem = portName === undefined ? undefined : dns1123LabelProblem(portName);
                if (portProblem) problems.push(`port name "${portName}" ${portProblem}`);
            }
        }
        for (const message of problems)
            findings.push({ severity: "error", rule: "names", object: objectRef(object), message: `${message}; the API server rejects the object.` });
    }
    return findings;
}
