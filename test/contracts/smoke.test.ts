import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
describe("smoke", () => {
  it("connects", async () => {
    const { viem } = await network.connect();
    const pc = await viem.getPublicClient();
    assert.ok((await pc.getChainId()) > 0);
  });
});
