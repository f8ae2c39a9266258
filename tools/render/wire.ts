/**
 * Decodes values as the Pulumi engine receives them on the wire (protobuf Struct JSON), with
 * every secret replaced by the redaction placeholder. Reading the wire form, rather than the
 * mocks' already-unwrapped inputs, is what lets the render know exactly which values are secret.
 */

/** What every secret value becomes in rendered files, plan.json and stdout. */
export const REDACTED = "[secret: redacted]";
/**
 * What the program sees for a `secure:` stack value, which cannot be decrypted offline. It
 * differs from REDACTED on purpose: if it shows up in a render, a secret config value flowed
 * somewhere without being marked secret.
 */
export const SECURE_CONFIG_PLACEHOLDER = "[secure config value: not decrypted offline]";
/** A value the engine would only know after deployment (an output of another resource). */
export const UNKNOWN = "[unknown until deployed]";

// The SDK's wire signatures (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The plain value inside a wire-format secret (mocks may hand those over as they are). */
export function unwrapWireSecret(value: unknown): unknown {
    const record = value as Record<string, unknown> | null;
    return record && typeof record === "object" && record[SIG_KEY] === SECRET_SIG ? record["value"] : value;
}

export function decodeWire(value: unknown): unknown {
    if (value === UNKNOWN_VALUE) return UNKNOWN;
    if (Array.isArray(value)) return value.map(decodeWire);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    switch (record[SIG_KEY]) {
        case SECRET_SIG:
            return REDACTED;
        case RESOURCE_SIG:
            return record["urn"];
        case OUTPUT_SIG:
            if (record["secret"]) return REDACTED;
            return "value" in record ? decodeWire(record["value"]) : UNKNOWN;
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return { asset: record["path"] ?? record["uri"] ?? "[inline]" };
        default: {
            const decoded: Record<string, unknown> = {};
            for (const [key, child] of Object.entries(record)) decoded[key] = decodeWire(child);
            return decoded;
        }
    }
}
