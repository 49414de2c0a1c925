// `npm run test:mutants`: plants known bugs (TESTPLAN's mutation check: drop a check, `<` for
// `<=`, skip a state update, break the reentrancy defence, swap a recipient) one at a time into a
// scratch copy of the project and runs the Solidity suite against each. Every mutant must make
// the suite fail ("killed"); a surviving mutant means a property is not really tested.
// The copy lives under .neocart/mutants/, so an interrupted run never leaves a mutated contract
// in the working tree.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

type Mutant = { id: string; file: string; find: string; replace: string; why: string };

const MUTANTS: Mutant[] = [
  {
    id: "escrow-drop-buyer-check",
    file: "contracts/Escrow.sol",
    find: "_load(orderId, order, State.Shipped);\n        if (msg.sender != order.buyer) revert NotBuyer(msg.sender);",
    replace: "_load(orderId, order, State.Shipped);",
    why: "anyone could confirm delivery (E4)",
  },
  {
    id: "escrow-release-off-by-one",
    file: "contracts/Escrow.sol",
    find: "if (block.timestamp < releaseAt) revert TooEarly(releaseAt);",
    replace: "if (block.timestamp <= releaseAt) revert TooEarly(releaseAt);",
    why: "release refused at exactly the deadline (E8)",
  },
  {
    id: "escrow-refund-skips-state-update",
    file: "contracts/Escrow.sol",
    find: "_orders[orderId] = uint256(State.Refunded);",
    replace: "",
    why: "an order could be refunded twice (E3)",
  },
  {
    id: "escrow-withdraw-effects-after-interaction",
    file: "contracts/Escrow.sol",
    find: "function withdraw(address token) external nonReentrant {\n        uint256 amount = _credits[token][msg.sender];\n        if (amount != 0) _credits[token][msg.sender] = 0;",
    replace:
      'function withdraw(address token) external {\n        uint256 amount = _credits[token][msg.sender];\n        if (amount != 0) { (bool sent,) = msg.sender.call{value: 0}(""); sent; }\n        if (amount != 0) _credits[token][msg.sender] = 0;',
    why: "no reentrancy guard and a call before the credit is cleared (E7)",
  },
  {
    id: "escrow-swap-recipient",
    file: "contracts/Escrow.sol",
    find: "_credit(token, order.seller, toSeller);\n        _creditFee(token, fee);\n        _credit(token, order.affiliate, affiliateShare);\n        uint256 cashback",
    replace:
      "_credit(token, order.buyer, toSeller);\n        _creditFee(token, fee);\n        _credit(token, order.affiliate, affiliateShare);\n        uint256 cashback",
    why: "the buyer is paid the seller's proceeds (E2)",
  },
  {
    id: "reviews-drop-duplicate-check",
    file: "contracts/Reviews.sol",
    find: "if (stored.packed != 0) revert AlreadyReviewed(orderId);",
    replace: "",
    why: "a purchase could be reviewed twice (R2)",
  },
  {
    id: "groupbuy-refund-keeps-pledge",
    file: "contracts/GroupBuy.sol",
    find: "delete _pledges[poolId][msg.sender];",
    replace: "",
    why: "a pledger could refund twice (G2)",
  },
];

const root = path.resolve(import.meta.dirname, "..");
const scratch = path.join(root, ".neocart", "mutants");
const only = process.argv.slice(2);
const selected = only.length ? MUTANTS.filter((m) => only.includes(m.id)) : MUTANTS;

function prepareCopy(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of [
    "contracts",
    "test/solidity",
    "hardhat.config.ts",
    "package.json",
    "remappings.txt",
    "tsconfig.json",
  ]) {
    cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
}

const results: { id: string; killed: boolean; why: string; seconds: number }[] = [];
for (const [i, mutant] of selected.entries()) {
  const dir = path.join(scratch, mutant.id);
  prepareCopy(dir);
  const target = path.join(dir, mutant.file);
  const source = readFileSync(target, "utf8");
  const sites = source.split(mutant.find).length - 1;
  if (sites !== 1) {
    console.error(`mutant ${mutant.id}: expected its site once in ${mutant.file}, found ${sites}; update the mutant`);
    process.exit(2);
  }
  writeFileSync(target, source.replace(mutant.find, mutant.replace));
  process.stdout.write(`[${i + 1}/${selected.length}] ${mutant.id} (${mutant.why}) … `);
  const started = Date.now();
  const run = spawnSync("npx", ["hardhat", "test", "solidity"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NEOCART_BUILD_DIR: "" },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const compiled = !/Error HH|CompilerError|ParserError|TypeError:/.test(`${run.stdout}${run.stderr}`);
  if (!compiled) {
    console.error(`did not compile; fix the mutant\n${run.stdout}${run.stderr}`);
    process.exit(2);
  }
  const killed = run.status !== 0;
  console.log(`${killed ? "killed" : "SURVIVED"} (${seconds}s)`);
  results.push({ id: mutant.id, killed, why: mutant.why, seconds });
  rmSync(dir, { recursive: true, force: true });
}

const survivors = results.filter((r) => !r.killed);
console.log(`\n${results.length - survivors.length} killed, ${survivors.length} survived`);
if (survivors.length) {
  for (const s of survivors) console.error(`survived: ${s.id} — ${s.why}`);
  process.exit(1);
}
