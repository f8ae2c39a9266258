/**
 * Tier-2 helper: runs component code under the SDK's mocks with the same recorder the offline
 * render uses, and answers questions about what the engine was asked to create.
 */
import * as k8s from "@pulumi/kubernetes";
import { kubernetesObjects, KubernetesObject } from "../../tools/render/manifests";
import { record, Recording } from "../../tools/render/recorder";

export interface Recorded {
    recording: Recording;
    objects: KubernetesObject[];
    /** The one object of `kind` (and `name`, when several), or a failing assertion. */
    object(kind: string, name?: string): KubernetesObject;
}

export async function recordComponents(program: (provider: k8s.Provider) => unknown, stack = "test"): Promise<Recorded> {
    const recording = await record(() => program(new k8s.Provider("test-k8s", { kubeconfig: "test" })), { project: "agent-platform", stack });
    const objects = kubernetesObjects(recording.resources).map((r) => r.object);
    return {
        recording,
        objects,
        object(kind, name) {
            const matches = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
            if (matches.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ""}, found ${matches.length}`);
            return matches[0]!;
        },
    };
}
