/**
 * Kubernetes quantities as numbers, so guard-rail settings can be compared with each other
 * and with what the worker's jobs ask for ("500m" < "2", "512Mi" < "2Gi").
 */
import { quantityPattern } from "../core/schema";

const SUFFIX: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/** The value of a quantity in base units (cores, bytes); throws on anything else. */
export function parseQuantity(quantity: string): number {
    if (!quantityPattern.test(quantity)) throw new Error(`'${quantity}' is not a Kubernetes quantity`);
    const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(quantity)!;
    return Number(match[1]) * SUFFIX[match[2]!]!;
}

/** True when both parse and `a` is at most `b`; unparsable input is left to the field's own check. */
export function atMost(a: string | undefined, b: string | undefined): boolean {
    if (a === undefined || b === undefined || !quantityPattern.test(a) || !quantityPattern.test(b)) return true;
    return parseQuantity(a) <= parseQuantity(b);
}
