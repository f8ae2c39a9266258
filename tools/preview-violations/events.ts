/**
 * Reads a Pulumi engine event log (`pulumi preview --event-log FILE`: one JSON engine event
 * per line, the apitype.EngineEvent shape) for what made a preview fail: the policy
 * violations (`policyEvent`) and the error diagnostics (`diagnosticEvent`, severity error).
 */

export interface PolicyViolation {
    policy: string;
    pack: string;
    /** "mandatory", "warning" (advisory), "remediate" or "none". */
    level: string;
    urn?: string;
    message: string;
}

export interface PreviewEvents {
    violations: PolicyViolation[];
    errors: string[];
    /** False when the log holds no summary event: the preview stopped before the end. */
    finished: boolean;
}

function text(value: unknown): string {
    return typeof value === "string" ? value : "";
}

// The engine's messages may carry colour directives such as <{%fg 1%}> and ANSI escapes.
export function plain(message: string): string {
    return (
        message
            .replace(/<\{%[^%]*%\}>/g, "")
            // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC.
            .replace(/\u001b\[[0-9;]*m/g, "")
            .trim()
    );
}

export function parseEventLog(log: string): PreviewEvents {
    const violations: PolicyViolation[] = [];
    const errors: string[] = [];
    let finished = false;
    for (const line of log.split("\n")) {
        if (line.trim() === "") continue;
        let event: Record<string, unknown>;
        try {
            event = JSON.parse(line) as Record<string, unknown>;
        } catch {
            continue; // a line cut short when the CLI was stopped
        }
        const policy = event["policyEvent"] as Record<string, unknown> | undefined;
        if (policy) {
            violations.push({
                policy: text(policy["policyName"]),
                pack: text(policy["policyPackName"]),
                level: text(policy["enforcementLevel"]),
                ...(text(policy["resourceUrn"]) ? { urn: text(policy["resourceUrn"]) } : {}),
                message: plain(text(policy["message"])),
            });
        }
        const diagnostic = event["diagnosticEvent"] as Record<string, unknown> | undefined;
        if (diagnostic && diagnostic["severity"] === "error" && !diagnostic["ephemeral"]) {
            const message = plain(`${text(diagnostic["prefix"])}${text(diagnostic["message"])}`);
            if (message && !errors.includes(message)) errors.push(message);
        }
        if (event["summaryEvent"]) finished = true;
    }
    return { violations, errors, finished };
}

/** `kubernetes:apps/v1:Deployment agent-runtime-deployment` from a URN. */
export function describeUrn(urn: string | undefined): string {
    if (!urn) return "(stack)";
    const parts = urn.split("::");
    if (parts.length < 4) return urn;
    const type = parts[2]!.split("$").pop()!;
    return `${type} ${parts.slice(3).join("::")}`;
}
