// Preloaded (`node --require`) by test/tools/cli-help.integration.test.ts: at exit, says on
// stderr whether the process loaded the Pulumi SDK, which a command line must not need for
// --help or a bad option.
"use strict";
const path = require("node:path");

process.on("exit", () => {
    const sdk = `${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
    if (Object.keys(require.cache).some((file) => file.includes(sdk))) process.stderr.write("[loaded the Pulumi SDK]\n");
});
