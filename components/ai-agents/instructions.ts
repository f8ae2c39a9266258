/**
 * The AiInstructions the seed ships (its k8s/instructions/), created from the data files in
 * ./data/instructions/<name>.yaml. Each file is one complete AiInstruction; this adds the
 * namespace and our labels. They wait for their CRD when the stack installs it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { AppIdentity, objectLabels } from "../pod";
import { SHIPPED_INSTRUCTIONS } from "./schema";
import { CRD_API_VERSION } from "./crds";

export const INSTRUCTIONS_DIR = join(__dirname, "data", "instructions");

export interface AiInstructionObject {
    apiVersion: string;
    kind: "AiInstruction";
    metadata: { name: string };
    spec: { type: "global" | "local"; priority?: number; focus?: string; targetRoles?: string[]; content: string };
}

/**
 * Every data file, in the seed's order; throws when a file is not an AiInstruction named after
 * the file, or when the files and the shipped list disagree.
 */
export function loadInstructions(dir = INSTRUCTIONS_DIR): AiInstructionObject[] {
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    const byName = new Map<string, AiInstructionObject>();
    for (const file of files) {
        const object = parse(readFileSync(join(dir, file), "utf8")) as AiInstructionObject;
        const expected = file.replace(/\.yaml$/, "");
        if (object?.apiVersion !== CRD_API_VERSION || object.kind !== "AiInstruction" || object.metadata?.name !== expected) {
            throw new Error(`${join(dir, file)}: must be a ${CRD_API_VERSION} AiInstruction named '${expected}'`);
        }
        byName.set(expected, object);
    }
    const names = [...byName.keys()];
    const missing = SHIPPED_INSTRUCTIONS.filter((n) => !byName.has(n));
    const extra = names.filter((n) => !(SHIPPED_INSTRUCTIONS as readonly string[]).includes(n));
    if (missing.length || extra.length)
        throw new Error(
            `${dir}: instruction files do not match the shipped list (missing: ${missing.join(", ") || "none"}; unexpected: ${extra.join(", ") || "none"})`,
        );
    return SHIPPED_INSTRUCTIONS.map((name) => byName.get(name)!);
}

/** The objects to create: the shipped ones minus the excluded, in our namespace with our labels. */
export function buildInstructions(
    instructions: AiInstructionObject[],
    args: { namespace: pulumi.Input<string>; identity: AppIdentity; exclude: readonly string[] },
) {
    return instructions
        .filter((i) => !args.exclude.includes(i.metadata.name))
        .map((i) => ({ ...i, metadata: { name: i.metadata.name, namespace: args.namespace, labels: objectLabels(args.identity) } }));
}

export interface AiAgentsInstructionsArgs {
    namespace: pulumi.Input<string>;
    identity: AppIdentity;
    /** Shipped instructions to leave out. @default [] */
    exclude?: readonly string[];
    /** The AiInstruction CRD, when this stack installs it. @default [] */
    crds?: pulumi.Resource[];
}

export class AiAgentsInstructions extends pulumi.ComponentResource {
    /** Names of the AiInstructions created. */
    readonly names: string[];

    constructor(name: string, args: AiAgentsInstructionsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsInstructions", name, {}, opts);
        const objects = buildInstructions(loadInstructions(), { namespace: args.namespace, identity: args.identity, exclude: args.exclude ?? [] });
        for (const object of objects) {
            new k8s.apiextensions.CustomResource(`${name}-${object.metadata.name}`, object, { parent: this, dependsOn: args.crds ?? [] });
        }
        this.names = objects.map((o) => o.metadata.name);
        this.registerOutputs({ names: this.names });
    }
}
