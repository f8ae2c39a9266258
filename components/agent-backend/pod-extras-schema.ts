/**
 * Config schema pieces for what the agent backend's pods take from the stack file: extra env
 * vars, volumes and mounts, your init containers, node affinity and tolerations. Shapes follow
 * the Kubernetes API (so the chart's lists carry over), limited to what keeps pods hardened.
 */
import { z } from "zod";
import { OBJECT_NAME_PATTERN } from "../secrets";
import { dnsLabel, pullPolicy, quantity, resources } from "../core/schema";

export const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const objectName = (description: string) =>
    z
        .string()
        .regex(OBJECT_NAME_PATTERN, "must be a Kubernetes object name")
        .meta({ description, allowed: "a Kubernetes object name (lowercase, digits, '-', '.')" });

const keyRef = (what: string) =>
    z
        .strictObject({
            name: objectName(`Name of the ${what}.`),
            key: z
                .string()
                .min(1)
                .meta({ description: `Key in the ${what}.` }),
            optional: z.boolean().meta({ description: "Leave the variable unset when the key is missing." }).optional(),
        })
        .meta({ description: `A key of a ${what} in the namespace.` });

/** A container env entry, in the Kubernetes shape the chart's lists take. */
export const envVarSchema = z
    .strictObject({
        name: z.string().regex(ENV_NAME, "must be an environment variable name").meta({ description: "Variable name." }),
        value: z.string().meta({ description: "Literal value; never a credential (use `valueFrom.secretKeyRef`)." }).optional(),
        valueFrom: z
            .strictObject({
                secretKeyRef: keyRef("Secret").optional(),
                configMapKeyRef: keyRef("ConfigMap").optional(),
                fieldRef: z
                    .strictObject({ fieldPath: z.string().min(1).meta({ description: "Pod field, e.g. `metadata.name`." }) })
                    .meta({ description: "A field of the pod." })
                    .optional(),
            })
            .meta({ description: "Where the value comes from: exactly one source." })
            .optional(),
    })
    .superRefine((env, ctx) => {
        const sources = env.valueFrom ? Object.values(env.valueFrom).filter((s) => s !== undefined).length : 0;
        if ((env.value !== undefined) === (env.valueFrom !== undefined))
            ctx.addIssue({ code: "custom", path: [], message: "set either `value` or `valueFrom`" });
        else if (env.valueFrom && sources !== 1)
            ctx.addIssue({ code: "custom", path: ["valueFrom"], message: "set exactly one of `secretKeyRef`, `configMapKeyRef`, `fieldRef`" });
        if (env.value && looksLikeCredential(env.name)) {
            ctx.addIssue({
                code: "custom",
                path: ["value"],
                message: `'${env.name}' looks like a credential: read it from a Secret with \`valueFrom.secretKeyRef\`, never a literal value`,
            });
        }
    })
    .meta({ description: "An environment variable." });

/** The same rule as the policy pack's `no-credentials-in-env-literals`. */
export function looksLikeCredential(name: string): boolean {
    const words = name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .split(/[-_.]/)
        .filter(Boolean)
        .map((w) => w.toUpperCase());
    const last = words[words.length - 1] ?? "";
    if (["FILE", "PATH", "DIR", "NAME", "URL", "URI", "ID"].includes(last)) return false;
    return words.some((w) => /(KEY|SECRET|TOKEN|PASSWORD|PASSWD)$/.test(w));
}

const keyToPath = z
    .array(
        z
            .strictObject({ key: z.string().min(1).meta({ description: "Key." }), path: z.string().min(1).meta({ description: "File path under the mount." }) })
            .meta({ description: "A key and its file." }),
    )
    .meta({ description: "Only these keys, as these files; default every key." })
    .optional();

/** Volumes of the types the policy pack allows (no hostPath, nfs, ...). */
export const volumeSchema = z
    .strictObject({
        name: dnsLabel("Volume name, unique in the pod (`tmp` is taken)."),
        configMap: z
            .strictObject({ name: objectName("ConfigMap name."), items: keyToPath })
            .meta({ description: "A ConfigMap as files." })
            .optional(),
        secret: z
            .strictObject({ secretName: objectName("Secret name."), items: keyToPath })
            .meta({ description: "A Secret as files." })
            .optional(),
        emptyDir: z
            .strictObject({
                sizeLimit: quantity("Size limit.").optional(),
                medium: z.enum(["Memory"]).meta({ description: "`Memory` for a tmpfs." }).optional(),
            })
            .meta({ description: "Scratch space for the pod's lifetime." })
            .optional(),
        persistentVolumeClaim: z
            .strictObject({ claimName: objectName("PersistentVolumeClaim name."), readOnly: z.boolean().meta({ description: "Mount read-only." }).optional() })
            .meta({ description: "A PersistentVolumeClaim." })
            .optional(),
        csi: z
            .strictObject({
                driver: z.string().min(1).meta({ description: "CSI driver, e.g. `secrets-store.csi.k8s.io`." }),
                readOnly: z.boolean().meta({ description: "Mount read-only." }).optional(),
                volumeAttributes: z
                    .record(z.string(), z.string().meta({ description: "Attribute value." }))
                    .meta({ description: "Driver attributes." })
                    .optional(),
            })
            .meta({ description: "An inline CSI volume (e.g. the Key Vault secrets store driver)." })
            .optional(),
    })
    .superRefine((volume, ctx) => {
        const sources = ["configMap", "secret", "emptyDir", "persistentVolumeClaim", "csi"] as const;
        if (sources.filter((s) => volume[s] !== undefined).length !== 1) {
            ctx.addIssue({ code: "custom", path: [], message: `set exactly one of ${sources.map((s) => `\`${s}\``).join(", ")}` });
        }
    })
    .meta({ description: "A volume." });

export const volumeMountSchema = z
    .strictObject({
        name: dnsLabel("Name of a volume in `extraVolumes`."),
        mountPath: z.string().regex(/^\//, "must be an absolute path").meta({ description: "Where to mount it." }),
        subPath: z.string().min(1).meta({ description: "Mount only this path of the volume." }).optional(),
        readOnly: z.boolean().meta({ description: "Mount read-only." }).optional(),
    })
    .meta({ description: "A volume mount." });

export const userInitContainerSchema = z
    .strictObject({
        name: dnsLabel("Container name, unique in the pod."),
        image: z.string().min(1).meta({ description: "Full image reference, e.g. `busybox:1.37`; pin a tag or digest." }),
        imagePullPolicy: pullPolicy.optional(),
        command: z
            .array(z.string().meta({ description: "Argument." }))
            .meta({ description: "Entrypoint override." })
            .optional(),
        args: z
            .array(z.string().meta({ description: "Argument." }))
            .meta({ description: "Arguments." })
            .optional(),
        env: z.array(envVarSchema).default([]).meta({ description: "Environment variables." }),
        volumeMounts: z.array(volumeMountSchema).default([]).meta({ description: "Mounts of `extraVolumes`." }),
        resources: resources({ requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } }).meta({ description: "Container resources." }),
    })
    .meta({ description: "An init container, run first and hardened like every other (non-root UID, read-only root, writable /tmp)." });

export const matchExpressionSchema = z
    .strictObject({
        key: z.string().regex(LABEL_KEY, "must be a label key").meta({ description: "Node label key." }),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]).meta({ description: "How the label is matched." }),
        values: z
            .array(z.string().meta({ description: "Value." }))
            .default([])
            .meta({ description: "Values (none for Exists/DoesNotExist)." }),
    })
    .meta({ description: "A node label requirement." });

export const tolerationsSchema = z
    .array(
        z
            .strictObject({
                key: z.string().min(1).meta({ description: "Taint key; unset with Exists tolerates every taint." }).optional(),
                operator: z.enum(["Exists", "Equal"]).meta({ description: "Exists or Equal." }).optional(),
                value: z.string().meta({ description: "Taint value (Equal)." }).optional(),
                effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).meta({ description: "Taint effect; unset matches all." }).optional(),
                tolerationSeconds: z.number().int().meta({ description: "How long a NoExecute taint is tolerated." }).optional(),
            })
            .meta({ description: "A toleration." }),
    )
    .default([])
    .meta({ description: "Taints the pods tolerate." });
