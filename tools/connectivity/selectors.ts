/**
 * Kubernetes label selectors (meta/v1 LabelSelector): matchLabels and matchExpressions,
 * all requirements ANDed; an empty selector matches everything.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import { isPlainObject } from "../../policies/rules/values";

export type Labels = Readonly<Record<string, string>>;

type Operator = "In" | "NotIn" | "Exists" | "DoesNotExist";

interface Requirement {
    readonly key: string;
    readonly operator: Operator;
    readonly values: ReadonlySet<string>;
}

/** A manifest field the API server would reject; the message names the field. */
export class PolicyError extends Error {}

export class Selector {
    readonly #requirements: readonly Requirement[];
    /** Canonical text: two selectors with the same key select the same labels. */
    readonly key: string;

    constructor(requirements: readonly Requirement[]) {
        this.#requirements = requirements;
        this.key = JSON.stringify(requirements.map((r) => [r.key, r.operator, [...r.values].sort()]).sort());
    }

    static readonly everything = new Selector([]);

    get isEmpty(): boolean {
        return this.#requirements.length === 0;
    }

    /** The label keys the selector looks at. */
    get keys(): string[] {
        return this.#requirements.map((requirement) => requirement.key);
    }

    /** A label every match must carry ("app=api" from matchLabels), to look candidates up in an index. */
    requiredLabel(): [string, string] | undefined {
        const requirement = this.#requirements.find((r) => r.operator === "In" && r.values.size === 1);
        return requirement === undefined ? undefined : [requirement.key, [...requirement.values][0]!];
    }

    matches(labels: Labels): boolean {
        for (const requirement of this.#requirements) {
            const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
            switch (requirement.operator) {
                case "In":
                    if (!has || !requirement.values.has(labels[requirement.key]!)) return false;
                    break;
                // NotIn matches a label that is absent, as Kubernetes defines it.
                case "NotIn":
                    if (has && requirement.values.has(labels[requirement.key]!)) return false;
                    break;
                case "Exists":
                    if (!has) return false;
                    break;
                case "DoesNotExist":
                    if (has) return false;
                    break;
            }
        }
        return true;
    }

    /** The same selector restricted further (used to scope Cilium selectors to a namespace). */
    and(key: string, value: string): Selector {
        return new Selector([...this.#requirements, { key, operator: "In", values: new Set([value]) }]);
    }
}

const operators: ReadonlySet<string> = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

function labelValue(value: unknown): string | undefined {
    // YAML may read `version: 1` or `enabled: true` as a number or boolean; the API server
    // would reject them, but a selector written that way clearly means the string.
    return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

/**
 * Compiles a LabelSelector. `where` names the field in error messages; `normaliseKey`
 * lets Cilium strip label source prefixes ("k8s:app" is "app").
 */
export function compileSelector(raw: unknown, where: string, normaliseKey: (key: string) => string = (key) => key): Selector {
    if (raw === undefined || raw === null) return Selector.everything;
    if (!isPlainObject(raw)) throw new PolicyError(`${where} must be a label selector object`);
    const requirements: Requirement[] = [];
    const matchLabels = raw["matchLabels"];
    if (matchLabels !== undefined && matchLabels !== null) {
        if (!isPlainObject(matchLabels)) throw new PolicyError(`${where}.matchLabels must be a map of strings`);
        for (const [key, value] of Object.entries(matchLabels)) {
            const text = labelValue(value ?? "");
            if (text === undefined) throw new PolicyError(`${where}.matchLabels.${key} must be a string`);
            requirements.push({ key: normaliseKey(key), operator: "In", values: new Set([text]) });
        }
    }
    const matchExpressions = raw["matchExpressions"];
    if (matchExpressions !== undefined && matchExpressions !== null) {
        if (!Array.isArray(matchExpressions)) throw new PolicyError(`${where}.matchExpressions must be a list`);
        matchExpressions.forEach((expression: unknown, index) => {
            const at = `${where}.matchExpressions[${index}]`;
            if (!isPlainObject(expression) || typeof expression["key"] !== "string") throw new PolicyError(`${at} needs a key`);
            const operator = expression["operator"];
            if (typeof operator !== "string" || !operators.has(operator)) {
                throw new PolicyError(`${at}.operator must be one of In, NotIn, Exists, DoesNotExist (got ${JSON.stringify(operator)})`);
            }
            const rawValues = expression["values"] ?? [];
            if (!Array.isArray(rawValues)) throw new PolicyError(`${at}.values must be a list`);
            const values = rawValues.map((value) => labelValue(value));
            if (values.some((value) => value === undefined)) throw new PolicyError(`${at}.values must be strings`);
            // The API server's rule: In and NotIn need values, Exists and DoesNotExist take none.
            if ((operator === "In" || operator === "NotIn") && values.length === 0) throw new PolicyError(`${at}: operator ${operator} needs values`);
            if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0)
                throw new PolicyError(`${at}: operator ${operator} takes no values`);
            requirements.push({ key: normaliseKey(expression["key"]), operator: operator as Operator, values: new Set(values as string[]) });
        });
    }
    return requirements.length === 0 ? Selector.everything : new Selector(requirements);
}
