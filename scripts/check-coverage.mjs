// Fails when line coverage of the production contracts (contracts/, without the test-only
// contracts in contracts/test/) falls under the floor. Reads Hardhat's LCOV report.
import { readFileSync } from "node:fs";
import path from "node:path";

const FLOOR = Number(process.env.NEOCART_COVERAGE_FLOOR ?? "95");
const root = path.resolve(import.meta.dirname, "..");
const lcovPath = path.join(root, "coverage", "lcov.info");

let lcov;
try {
  lcov = readFileSync(lcovPath, "utf8");
} catch {
  console.error(`No coverage report at ${lcovPath}: run \`npx hardhat test --coverage\` first.`);
  process.exit(1);
}

const files = [];
let current = null;
for (const line of lcov.split("\n")) {
  if (line.startsWith("SF:")) {
    const rel = path.relative(root, path.resolve(root, line.slice(3)));
    current = { file: rel, found: 0, hit: 0 };
  } else if (current && line.startsWith("LF:")) current.found = Number(line.slice(3));
  else if (current && line.startsWith("LH:")) current.hit = Number(line.slice(3));
  else if (line === "end_of_record" && current) {
    files.push(current);
    current = null;
  }
}

const counted = files.filter(
  (f) => f.file.startsWith("contracts/") && !f.file.startsWith("contracts/test/") && f.found > 0,
);
if (counted.length === 0) {
  console.error("The coverage report lists no production contract: nothing was measured.");
  process.exit(1);
}
let found = 0;
let hit = 0;
for (const f of counted) {
  found += f.found;
  hit += f.hit;
  console.log(`${((100 * f.hit) / f.found).toFixed(2).padStart(7)}%  ${f.hit}/${f.found}  ${f.file}`);
}
const pct = (100 * hit) / found;
console.log(
  `line coverage of contracts/ (test-only contracts excluded): ${pct.toFixed(2)}% (${hit}/${found} lines), floor ${FLOOR}%`,
);
if (pct < FLOOR) {
  console.error(`Line coverage ${pct.toFixed(2)}% is under the ${FLOOR}% floor.`);
  process.exit(1);
}
