/** The two output formats of netpol-analyzer's `list` (see docs/connectivity.md). */
import type { ConnectionLine } from "./list";

/** `src => dst : conn`, one line each, every line ending in LF; nothing allowed: empty. */
export function formatTxt(lines: readonly ConnectionLine[]): string {
    // One join over a filled array: a million `+=` would build a rope V8 then has to flatten.
    const parts = new Array<string>(lines.length);
    for (let i = 0; i < lines.length; i++) parts[i] = `${lines[i]!.src} => ${lines[i]!.dst} : ${lines[i]!.conn}\n`;
    return parts.join("");
}

/** A JSON array of {src, dst, conn}, two-space indented, no trailing newline ("[]" when empty). */
export function formatJson(lines: readonly ConnectionLine[]): string {
    return JSON.stringify(
        lines.map((line) => ({ src: line.src, dst: line.dst, conn: line.conn })),
        null,
        2,
    );
}
