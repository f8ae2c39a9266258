/**
 * Renders the real program for a variant stack file in this process: the project's own
 * modules are dropped from Node's module cache first, so index.ts runs again with the new
 * config (the Pulumi SDK and its mocks support one run after another).
 */
import * as path from "node:path";
import { renderStack, type StackRender } from "../../../tools/render/render-stack";

const ROOT = path.resolve(__dirname, "../../..");

function forgetProjectModules(): void {
    for (const key of Object.keys(require.cache)) {
        if (key.includes(`${path.sep}node_modules${path.sep}`)) continue;
        if (key === path.join(ROOT, "index.ts") || key.startsWith(path.join(ROOT, "components") + path.sep)) delete require.cache[key];
    }
}

export async function renderVariant(stackFile: string, stack = "readiness-test"): Promise<StackRender> {
    forgetProjectModules();
    return renderStack(ROOT, stack, path.resolve(__dirname, "stacks", stackFile));
}
