/** Checks that keep the pod out of the node's namespaces, ports and processes. */
import { arrayAt, objectAt, show } from "./values";
import { containerFinding, podFinding, type Finding, type Workload } from "./workload";

const hostNamespaceFields = ["hostNetwork", "hostPID", "hostIPC"] as const;

/** Pod-level only: containers have no such fields. */
export function checkNoHostNamespaces(workload: Workload): Finding[] {
    return hostNamespaceFields
        .filter((field) => workload.podSpec[field] === true)
        .map((field) => podFinding(workload, field, "is true; remove it or set it to false"));
}

/**
 * Any non-zero hostPort fails. With hostNetwork: true the API server defaults an unset
 * hostPort of regular and init containers to the containerPort, so the pod that gets
 * admitted has host ports even when the manifest shows none.
 */
export function checkNoHostPorts(workload: Workload): Finding[] {
    const hostNetwork = workload.podSpec["hostNetwork"] === true;
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        arrayAt(container.spec["ports"]).forEach((entry, index) => {
            const port = objectAt(entry);
            const hostPort = port?.["hostPort"];
            const field = `ports[${index}].hostPort`;
            if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
                findings.push(containerFinding(container, field, `is ${show(hostPort)}; remove it (expose the port through a Service)`));
            } else if (hostNetwork && container.position !== "ephemeralContainers" && isNonZeroNumber(port?.["containerPort"])) {
                findings.push(
                    containerFinding(
                        container,
                        field,
                        `defaults to containerPort ${show(port?.["containerPort"])} because hostNetwork is true; turn hostNetwork off`,
                    ),
                );
            }
        });
    }
    return findings;
}

function isNonZeroNumber(value: unknown): boolean {
    return typeof value === "number" && value !== 0;
}

/** hostProcess exists at both levels and true is forbidden at either. */
export function checkNoHostProcess(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    if (objectAt(workload.podSecurityContext?.["windowsOptions"])?.["hostProcess"] === true) {
        findings.push(podFinding(workload, "securityContext.windowsOptions.hostProcess", "is true; remove it or set it to false"));
    }
    for (const container of workload.containers) {
        if (objectAt(container.securityContext?.["windowsOptions"])?.["hostProcess"] === true) {
            findings.push(containerFinding(container, "securityContext.windowsOptions.hostProcess", "is true; remove it or set it to false"));
        }
    }
    return findings;
}

const probeFields = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const lifecycleFields = ["postStart", "preStop"] as const;
const handlerKinds = ["httpGet", "tcpSocket"] as const;

/**
 * Probes and lifecycle handlers may not name a host (v1.34+): the kubelet would
 * connect from the node to any address the manifest names.
 */
export function checkNoProbeOrLifecycleHost(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        const handlers: Array<[string, unknown]> = probeFields.map((field) => [field, container.spec[field]]);
        const lifecycle = objectAt(container.spec["lifecycle"]);
        for (const field of lifecycleFields) {
            handlers.push([`lifecycle.${field}`, lifecycle?.[field]]);
        }
        for (const [field, handler] of handlers) {
            for (const kind of handlerKinds) {
                const host = objectAt(objectAt(handler)?.[kind])?.["host"];
                if (typeof host === "string" && host !== "") {
                    findings.push(containerFinding(container, `${field}.${kind}.host`, `is ${show(host)}; remove it so the kubelet probes the pod's own IP`));
                }
            }
        }
    }
    return findings;
}
