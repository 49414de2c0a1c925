// `npm audit` cannot reach its service here, so the versions of security-relevant packages that
// are actually installed are checked against known-fixed minimums instead.
import { readFileSync } from "node:fs";

/** package → the lowest version carrying the fixes we rely on, and why. */
const minimums = {
  next: ["16.2.6", "2025–26 App Router security fixes (middleware bypass, RSC deserialisation)"],
  react: ["19.2.1", "React Server Components remote code execution fix (CVE-2025-55182)"],
  "react-dom": ["19.2.1", "matches react"],
  viem: ["2.21.0", "SIWE message parsing and EIP-712 fixes used by quotes and sign-in"],
};

function parse(version) {
  return version.split("-")[0].split(".").map(Number);
}

function atLeast(actual, minimum) {
  const a = parse(actual);
  const m = parse(minimum);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (m[i] ?? 0)) return (a[i] ?? 0) > (m[i] ?? 0);
  }
  return true;
}

// The lockfile lists every installed copy, nested ones included (a dependency's own older copy
// would be just as exploitable).
const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"));
let failed = false;
for (const [name, [minimum, why]] of Object.entries(minimums)) {
  const copies = Object.entries(lock.packages)
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([path, entry]) => ({ path, version: entry.version }));
  if (copies.length === 0) {
    console.log(`FAIL ${name} is not installed`);
    failed = true;
  }
  for (const copy of copies) {
    const ok = atLeast(copy.version, minimum);
    console.log(`${ok ? "ok  " : "FAIL"} ${copy.path} ${copy.version} (minimum ${minimum}: ${why})`);
    if (!ok) failed = true;
  }
}
if (failed) {
  console.error(
    "Some security-relevant packages are older than their minimum: upgrade them (npm install <name>@latest).",
  );
  process.exit(1);
}
