/**
 * The work of `npm run render` once its arguments are checked (tools/render.ts): render the
 * stack under the mocks, write it, print the summary, the policy verdict and the readiness
 * findings. It loads the Pulumi SDK and the program, so the command line requires it only
 * after its arguments, the output directory and the stack file have passed.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { checkObjects, loadPolicyConfigFile } from "../../policies/evaluate";
import { CI_POLICY_CONFIG, uncheckedReport, unexpandedCharts } from "../policy-check/unexpanded";
import { hasErrors, readinessReport, writeReadiness } from "../readiness";
import { summarize, writeRender } from "./output";
import { objectsOf, renderStack, type StackRender } from "./render-stack";

export interface RenderRequest {
    projectDir: string;
    stack: string;
    outDir: string;
    configFile?: string;
}

function printPolicyCheck(render: StackRender, projectDir: string): number {
    const violations = checkObjects(objectsOf(render));
    for (const v of violations) {
        console.log(`${v.kind}/${v.namespace ?? "-"}/${v.name}: ${v.policy} [${v.enforcementLevel}]: ${v.message}`);
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    console.log(
        `\nPolicy check: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation${violations.length - mandatory === 1 ? "" : "s"}.`,
    );
    // What the offline check could not see (unexpanded charts), and CI's exemptions for it.
    const unchecked = uncheckedReport(
        unexpandedCharts(render.plan.resources),
        objectsOf(render),
        loadPolicyConfigFile(path.join(projectDir, CI_POLICY_CONFIG)),
        CI_POLICY_CONFIG,
    );
    if (unchecked !== "") console.log(`\n${unchecked}`);
    return mandatory;
}

/** Renders, writes and reports; the exit code: 0, or 1 on a mandatory violation, a readiness error or a config error. */
export async function renderAndReport(request: RenderRequest): Promise<number> {
    const { projectDir, stack, outDir, configFile } = request;
    let render: StackRender;
    try {
        render = await renderStack(projectDir, stack, configFile);
    } catch (err) {
        // Config errors are the user's to fix: the message, never a stack trace (stack-file errors: tools/render.ts).
        if (!pulumi.RunError.isInstance(err)) throw err;
        console.error(`render failed: ${(err as Error).message}`);
        return 1;
    }
    const files = writeRender(outDir, render.plan, render.objects, projectDir);
    console.log(summarize(render.plan, render.objects));
    console.log(`\nWrote ${files.length} object files and plan.json to ${path.relative(process.cwd(), path.resolve(outDir)) || "."}`);
    const mandatory = printPolicyCheck(render, projectDir);
    writeReadiness(outDir, render.readiness);
    console.log(`\n${readinessReport(render.readiness)}`);
    return mandatory > 0 || hasErrors(render.readiness) ? 1 : 0;
}
