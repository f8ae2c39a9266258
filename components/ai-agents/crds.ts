/**
 * The six CustomResourceDefinitions of labrats.work/v1alpha1 (the seed's k8s/infra/crd-*.yaml),
 * with structural schemas for the fields the seed names:
 * - InferenceRequest: `spec.apiKeyRef`, the caller's API-key Secret;
 * - AiModel: `spec.credentialsRef`, backend credentials (claude executor only);
 * - AiConfig: `spec.providers[provider].modelUrl`, a GGUF model for a local provider;
 * - AiInstruction: type, priority, focus, target roles, and the instruction text;
 * - AiAgent, WebhookSource: the seed names no fields, so their specs keep unknown fields.
 * Known fields are typed; `x-kubernetes-preserve-unknown-fields` marks only the objects whose
 * other fields the seed does not describe. CRDs are cluster-scoped; their objects are namespaced.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppIdentity, objectLabels } from "../pod";

export const CRD_GROUP = "labrats.work";
export const CRD_VERSION = "v1alpha1";
export const CRD_API_VERSION = `${CRD_GROUP}/${CRD_VERSION}`;
/** `kubectl get ai-agents` lists every object of the six kinds. */
export const CRD_CATEGORY = "ai-agents";

/** An OpenAPI v3 schema node, with the wire names of the Kubernetes extensions. */
export type OpenApiSchema = Record<string, unknown>;

export interface CrdDefinition {
    kind: string;
    plural: string;
    description: string;
    spec: OpenApiSchema;
    /** Fields `kubectl get` shows besides NAME; Age is added to every kind. */
    columns: { name: string; type: "string" | "integer" | "date"; jsonPath: string; description: string }[];
    /** The operator writes `.status` through the status subresource. @default true */
    status?: boolean;
}

const PRESERVE = "x-kubernetes-preserve-unknown-fields";

/** A reference to a key of a Secret in the object's namespace. */
function secretKeyRef(description: string): OpenApiSchema {
    return {
        type: "object",
        description,
        required: ["name"],
        properties: {
            name: { type: "string", minLength: 1, maxLength: 253, description: "Name of the Secret, in the object's namespace." },
            key: { type: "string", minLength: 1, description: "Key in that Secret; the consumer's default when unset." },
        },
    };
}

/** A spec whose named fields are typed and whose other fields the seed does not describe. */
function openSpec(description: string, properties: Record<string, OpenApiSchema> = {}): OpenApiSchema {
    return { type: "object", description, [PRESERVE]: true, ...(Object.keys(properties).length ? { properties } : {}) };
}

const phaseColumn = { name: "Phase", type: "string" as const, jsonPath: ".status.phase", description: "Where the operator is with this object." };

export const AI_INSTRUCTION_RULE = "self.type == 'global' ? has(self.priority) : has(self.targetRoles)";

export const CRD_DEFINITIONS: readonly CrdDefinition[] = [
    {
        kind: "InferenceRequest",
        plural: "inferencerequests",
        description: "A job for the platform: run an agent on a task. The operator turns it into an executor Job.",
        spec: openSpec("What to run, on whose behalf.", {
            apiKeyRef: secretKeyRef("The caller's API-key Secret: the identity the request runs as."),
        }),
        columns: [phaseColumn],
    },
    {
        kind: "AiModel",
        plural: "aimodels",
        description: "A model an agent can run on, with the credentials of its backend.",
        spec: openSpec("The model and its backend.", {
            credentialsRef: secretKeyRef("Backend credentials, used only by the claude executor; optional."),
        }),
        columns: [{ name: "Credentials", type: "string", jsonPath: ".spec.credentialsRef.name", description: "Secret holding the backend credentials." }],
    },
    {
        kind: "AiAgent",
        plural: "aiagents",
        description: "An agent: a role with its model and instructions.",
        spec: openSpec("The agent's settings."),
        columns: [phaseColumn],
    },
    {
        kind: "AiConfig",
        plural: "aiconfigs",
        description: "Platform settings, including the inference providers.",
        spec: openSpec("The platform's settings.", {
            providers: {
                type: "object",
                description: "Inference providers by name.",
                additionalProperties: {
                    type: "object",
                    description: "One provider's settings.",
                    [PRESERVE]: true,
                    properties: {
                        modelUrl: {
                            type: "string",
                            pattern: "^https?://",
                            description:
                                "URL of a GGUF model; the job executor downloads it into the models-cache volume (once) before a job of this provider runs.",
                        },
                    },
                },
            },
        }),
        columns: [],
    },
    {
        kind: "AiInstruction",
        plural: "aiinstructions",
        description: "Instructions agents follow: global ones for every agent, ordered by priority; local ones for the roles they target.",
        spec: {
            type: "object",
            description: "The instruction and whom it applies to.",
            required: ["type", "content"],
            properties: {
                type: { type: "string", enum: ["global", "local"], description: "`global`: every agent; `local`: agents of `targetRoles`." },
                priority: { type: "integer", minimum: 0, maximum: 1000, description: "Order of global instructions, lowest first." },
                focus: { type: "string", minLength: 1, maxLength: 200, description: "What the instruction is about, in a few words." },
                targetRoles: {
                    type: "array",
                    minItems: 1,
                    description: "Agent roles a local instruction applies to, e.g. developer, reviewer.",
                    items: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
                    "x-kubernetes-list-type": "set",
                },
                content: { type: "string", minLength: 1, description: "The instruction text (Markdown) given to the agent." },
            },
            "x-kubernetes-validations": [{ rule: AI_INSTRUCTION_RULE, message: "a global instruction needs `priority`; a local one needs `targetRoles`" }],
        },
        columns: [
            { name: "Type", type: "string", jsonPath: ".spec.type", description: "global or local." },
            { name: "Priority", type: "integer", jsonPath: ".spec.priority", description: "Order of global instructions." },
            { name: "Focus", type: "string", jsonPath: ".spec.focus", description: "What it is about." },
        ],
        status: false,
    },
    {
        kind: "WebhookSource",
        plural: "webhooksources",
        description: "A source of webhooks (e.g. GitHub); the API runs a receiver Deployment for each.",
        spec: openSpec("The source's settings."),
        columns: [phaseColumn],
    },
];

/** The CRD's name: `<plural>.<group>`. */
export const crdName = (definition: CrdDefinition) => `${definition.plural}.${CRD_GROUP}`;

/** The schema of one version: the object with its spec and, where the operator writes one, its status. */
export function buildOpenApiSchema(definition: CrdDefinition): OpenApiSchema {
    return {
        type: "object",
        description: definition.description,
        required: ["spec"],
        properties: {
            apiVersion: { type: "string" },
            kind: { type: "string" },
            metadata: { type: "object" },
            spec: definition.spec,
            ...(definition.status !== false ? { status: { type: "object", description: "Written by the operator.", [PRESERVE]: true } } : {}),
        },
    };
}

export function buildCrdSpec(definition: CrdDefinition): OpenApiSchema {
    const singular = definition.kind.toLowerCase();
    return {
        group: CRD_GROUP,
        scope: "Namespaced",
        names: { kind: definition.kind, listKind: `${definition.kind}List`, plural: definition.plural, singular, categories: [CRD_CATEGORY] },
        versions: [
            {
                name: CRD_VERSION,
                served: true,
                storage: true,
                schema: { openAPIV3Schema: buildOpenApiSchema(definition) },
                ...(definition.status !== false ? { subresources: { status: {} } } : {}),
                additionalPrinterColumns: [
                    ...definition.columns,
                    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." },
                ],
            },
        ],
    };
}

/** A whole CRD object, as it is sent to the API server. */
export function buildCrd(definition: CrdDefinition, identity: AppIdentity) {
    return {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: crdName(definition), labels: objectLabels(identity) },
        spec: buildCrdSpec(definition),
    };
}

export interface AiAgentsCrdsArgs {
    /** Labels of the CRDs. */
    identity: AppIdentity;
    /** Keep the CRDs when the stack deletes them (deleting a CRD deletes every object of its kind). @default true */
    retainOnDelete?: boolean;
}

export class AiAgentsCrds extends pulumi.ComponentResource {
    /** The CRDs, for `dependsOn` of every object that uses them. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: AiAgentsCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsCrds", name, {}, opts);
        this.ready = CRD_DEFINITIONS.map((definition) => {
            const crd = buildCrd(definition, args.identity);
            return new k8s.apiextensions.v1.CustomResourceDefinition(
                `${name}-${definition.plural}`,
                // The extensions are written with their wire names (`x-kubernetes-*`), which the
                // provider passes through unchanged, so the render shows what the API server gets.
                { metadata: crd.metadata, spec: crd.spec as unknown as k8s.types.input.apiextensions.v1.CustomResourceDefinitionSpec },
                { parent: this, retainOnDelete: args.retainOnDelete ?? true },
            );
        });
        this.registerOutputs({ names: CRD_DEFINITIONS.map(crdName) });
    }
}
