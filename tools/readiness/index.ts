/**
 * The readiness pass: over what a render recorded (resources, invokes, Kubernetes objects)
 * and the facts the stack config declares, what the Pulumi engine or the cluster would reject
 * or never make ready. Each rule is one file; docs/readiness.md lists them with their sources.
 */
import type { RenderedObject } from "../render/manifests";
import type { Recording } from "../render/recorder";
import { installedCharts } from "./charts";
import { mysqlServerFindings } from "./azure";
import { connectivityFindings } from "./connectivity";
import { crdFindings } from "./crds";
import { engineFindings } from "./engine";
import { keyVaultFindings } from "./keyvault";
import type { ReadinessFacts } from "./facts";
import { sortFindings, type Finding } from "./findings";
import { nameFindings } from "./names";
import { ObjectIndex } from "./object-index";
import { referenceFindings } from "./references";
import { routingFindings } from "./routing";
import { schedulingFindings } from "./scheduling";

export type { Finding, RuleId, Severity } from "./findings";
export { formatFinding } from "./findings";
export { factsFromConfig, type ReadinessFacts } from "./facts";

export interface ReadinessInput {
    recording: Recording;
    objects: readonly RenderedObject[];
    facts: ReadinessFacts;
}

export function analyzeReadiness({ recording, objects: rendered, facts }: ReadinessInput): Finding[] {
    const objects = rendered.map((r) => r.object);
    const index = new ObjectIndex(objects);
    const charts = installedCharts(recording);
    return sortFindings([
        ...engineFindings(recording, facts.disabledDefaultProviders),
        ...referenceFindings(objects, facts, index),
        ...keyVaultFindings(objects, recording, facts, index),
        ...routingFindings(objects, charts, facts, index),
        ...crdFindings(rendered, recording, charts, facts),
        ...connectivityFindings(objects, charts, facts, index),
        ...mysqlServerFindings(recording),
        ...schedulingFindings(objects, facts),
        ...nameFindings(objects),
    ]);
}
export { hasErrors, readinessReport, READINESS_FILE, writeReadiness } from "./report";
