import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import hre, { network } from "hardhat";
import { type Address, type Hex, hashTypedData, keccak256, toHex, zeroHash } from "viem";
import {
  ADMIN_DELAY,
  buildQuote,
  type Core,
  completeOrder,
  deployCore,
  mined,
  newOrderId,
  now,
  payQuote,
  productIdOf,
  State,
} from "./fixtures/deploy-core.ts";

/** Receipt gas budget of a review of an already-reviewed product, 21,000 base included. */
const REVIEW_GAS_BUDGET = 60_000n;

/** EIP-712 types of a fiat purchase receipt, exactly as Reviews hashes them. */
const RECEIPT_TYPES = {
  Receipt: [
    { name: "orderId", type: "bytes32" },
    { name: "buyer", type: "address" },
    { name: "productId", type: "bytes32" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

interface Receipt {
  orderId: Hex;
  buyer: Address;
  productId: Hex;
  deadline: bigint;
}

/** True when `hardhat test --coverage` runs this file (instrumented bytecode costs more gas). */
const underCoverage = hre.globalOptions.coverage === true || process.env.HARDHAT_COVERAGE === "true";

const contentHash = (text: string): Hex => keccak256(toHex(text));

describe("Reviews (viem flows)", async () => {
  const connection = await network.create();
  const { networkHelpers, viem } = connection;

  // Core contracts from the shared fixture, plus Reviews bound to its escrow; the fixture's
  // spare account `others[0]` is the app's receipt signer.
  async function deployReviewsFixture() {
    const core = await deployCore(connection);
    const { admin } = core.accounts;
    const reviews = await viem.deployContract(
      "Reviews",
      [admin.account.address, Number(ADMIN_DELAY), core.escrow.address],
      { client: { wallet: admin } },
    );
    const receiptSigner = core.accounts.others[0];
    assert.ok(receiptSigner, "the core fixture has spare accounts");
    await mined(
      core,
      reviews.write.grantRole([await reviews.read.RECEIPT_SIGNER_ROLE(), receiptSigner.account.address], {
        account: admin.account,
      }),
    );
    return { core, reviews, receiptSigner };
  }

  let core: Core;
  let reviews: Awaited<ReturnType<typeof deployReviewsFixture>>["reviews"];
  let receiptSigner: Awaited<ReturnType<typeof deployReviewsFixture>>["receiptSigner"];

  beforeEach(async () => {
    ({ core, reviews, receiptSigner } = await networkHelpers.loadFixture(deployReviewsFixture));
  });

  const PRODUCT = productIdOf("sku-reviews-lamp");

  /** A completed escrow purchase of `productId` by `buyer` (default: the fixture's buyer). */
  async function purchase(productId: Hex = PRODUCT, buyer = core.accounts.buyer) {
    const quote = await buildQuote(core, { productId, buyer: buyer.account.address });
    await completeOrder(core, quote, buyer);
    return quote.orderId;
  }

  async function signReceipt(receipt: Receipt, signer = receiptSigner) {
    return signer.signTypedData({
      account: signer.account,
      domain: {
        name: "NeoCart Reviews",
        version: "1",
        chainId: core.chainId,
        verifyingContract: reviews.address,
      },
      types: RECEIPT_TYPES,
      primaryType: "Receipt",
      message: receipt,
    });
  }

  async function fiatReceipt(productId: Hex = PRODUCT, buyer = core.accounts.buyer): Promise<Receipt> {
    return {
      orderId: newOrderId("fiat"),
      buyer: buyer.account.address,
      productId,
      deadline: (await now(core)) + 3_600n,
    };
  }

  it("R1/R2: the buyer of a completed escrow order reviews once; a second review reverts AlreadyReviewed", async () => {
    const { buyer } = core.accounts;
    const orderId = await purchase();
    const hash = contentHash("Great lamp, warm light.");

    await viem.assertions.emitWithArgs(
      reviews.write.review([orderId, PRODUCT, 5, hash], { account: buyer.account }),
      reviews,
      "Reviewed",
      [orderId, PRODUCT, buyer.account.address, 5, hash, false],
    );
    assert.equal(await reviews.read.hasReviewed([orderId]), true);
    const [author, rating, viaReceipt] = await reviews.read.reviewOf([orderId]);
    assert.equal(author.toLowerCase(), buyer.account.address.toLowerCase());
    assert.equal(rating, 5);
    assert.equal(viaReceipt, false);

    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.review([orderId, PRODUCT, 1, contentHash("edited")], {
        account: buyer.account,
      }),
      reviews,
      "AlreadyReviewed",
      [orderId],
    );
    assert.deepEqual(await reviews.read.productRating([PRODUCT]), [1n, 5n]);
  });

  it("R5: rating 0 and 6 revert InvalidRating; an empty content hash reverts EmptyContentHash", async () => {
    const { buyer } = core.accounts;
    const orderId = await purchase();
    for (const rating of [0, 6]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        reviews.write.review([orderId, PRODUCT, rating, contentHash("x")], {
          account: buyer.account,
        }),
        reviews,
        "InvalidRating",
        [rating],
      );
    }
    await viem.assertions.revertWithCustomError(
      reviews.write.review([orderId, PRODUCT, 4, zeroHash], { account: buyer.account }),
      reviews,
      "EmptyContentHash",
    );
    assert.equal(await reviews.read.hasReviewed([orderId]), false);
  });

  it("R5: a review without a purchase reverts UnknownOrder; before completion OrderNotCompleted; not the buyer NotPurchaser", async () => {
    const { buyer, seller, stranger } = core.accounts;
    const unknown = newOrderId("never-paid");
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.review([unknown, PRODUCT, 5, contentHash("x")], { account: stranger.account }),
      reviews,
      "UnknownOrder",
      [unknown],
    );

    const quote = await buildQuote(core, { productId: PRODUCT });
    await mined(core, payQuote(core, quote));
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.review([quote.orderId, PRODUCT, 5, contentHash("x")], {
        account: buyer.account,
      }),
      reviews,
      "OrderNotCompleted",
      [quote.orderId, State.Paid],
    );

    const orderId = await purchase();
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.review([orderId, PRODUCT, 5, contentHash("x")], { account: seller.account }),
      reviews,
      "NotPurchaser",
      [buyer.account.address, seller.account.address],
    );
    const other = productIdOf("sku-something-else");
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.review([orderId, other, 5, contentHash("x")], { account: buyer.account }),
      reviews,
      "ProductMismatch",
      [orderId, other],
    );
  });

  it("R1/R6: a fiat order reviews with a signed receipt, once; the receipt is useless to anyone else", async () => {
    const { buyer, stranger } = core.accounts;
    const receipt = await fiatReceipt();
    const signature = await signReceipt(receipt);
    assert.equal(
      await reviews.read.hashReceipt([receipt]),
      // viem's own EIP-712 hashing of the same message must match the contract's digest.
      hashTypedData({
        domain: {
          name: "NeoCart Reviews",
          version: "1",
          chainId: core.chainId,
          verifyingContract: reviews.address,
        },
        types: RECEIPT_TYPES,
        primaryType: "Receipt",
        message: receipt,
      }),
    );

    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.reviewWithReceipt([receipt, receiptSigner.account.address, signature, 4, contentHash("ok")], {
        account: stranger.account,
      }),
      reviews,
      "NotPurchaser",
      [buyer.account.address, stranger.account.address],
    );

    const hash = contentHash("Paid by card, works fine.");
    await viem.assertions.emitWithArgs(
      reviews.write.reviewWithReceipt([receipt, receiptSigner.account.address, signature, 4, hash], {
        account: buyer.account,
      }),
      reviews,
      "Reviewed",
      [receipt.orderId, PRODUCT, buyer.account.address, 4, hash, true],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.reviewWithReceipt([receipt, receiptSigner.account.address, signature, 4, hash], {
        account: buyer.account,
      }),
      reviews,
      "AlreadyReviewed",
      [receipt.orderId],
    );
  });

  it("R6: expired receipts, unauthorized signers and signatures for another domain revert", async () => {
    const { buyer, stranger } = core.accounts;
    const hash = contentHash("x");

    const receipt = await fiatReceipt();
    const signature = await signReceipt(receipt);
    await networkHelpers.time.increaseTo(receipt.deadline + 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.reviewWithReceipt([receipt, receiptSigner.account.address, signature, 5, hash], {
        account: buyer.account,
      }),
      reviews,
      "ReceiptExpired",
      [receipt.deadline],
    );

    const fresh = await fiatReceipt();
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.reviewWithReceipt([fresh, stranger.account.address, await signReceipt(fresh, stranger), 5, hash], {
        account: buyer.account,
      }),
      reviews,
      "ReceiptSignerUnauthorized",
      [stranger.account.address],
    );

    const wrongChain = await receiptSigner.signTypedData({
      account: receiptSigner.account,
      domain: {
        name: "NeoCart Reviews",
        version: "1",
        chainId: core.chainId + 1,
        verifyingContract: reviews.address,
      },
      types: RECEIPT_TYPES,
      primaryType: "Receipt",
      message: fresh,
    });
    const wrongContract = await receiptSigner.signTypedData({
      account: receiptSigner.account,
      domain: {
        name: "NeoCart Reviews",
        version: "1",
        chainId: core.chainId,
        verifyingContract: core.escrow.address,
      },
      types: RECEIPT_TYPES,
      primaryType: "Receipt",
      message: fresh,
    });
    for (const bad of [wrongChain, wrongContract]) {
      await viem.assertions.revertWithCustomError(
        reviews.write.reviewWithReceipt([fresh, receiptSigner.account.address, bad, 5, hash], {
          account: buyer.account,
        }),
        reviews,
        "InvalidReceiptSignature",
      );
    }

    // A receipt cannot take the review slot of an escrow order.
    const orderId = await purchase();
    const forEscrowOrder = { ...(await fiatReceipt()), orderId };
    await viem.assertions.revertWithCustomErrorWithArgs(
      reviews.write.reviewWithReceipt(
        [forEscrowOrder, receiptSigner.account.address, await signReceipt(forEscrowOrder), 5, hash],
        { account: buyer.account },
      ),
      reviews,
      "EscrowOrderId",
      [orderId],
    );
  });

  it("R4: the product aggregate counts and sums every review, from both paths, and never decreases", async () => {
    const { buyer, buyer2 } = core.accounts;
    assert.deepEqual(await reviews.read.productRating([PRODUCT]), [0n, 0n]);
    assert.equal(await reviews.read.averageRating([PRODUCT]), 0n);

    const first = await purchase(PRODUCT, buyer);
    await mined(core, reviews.write.review([first, PRODUCT, 5, contentHash("a")], { account: buyer.account }));
    assert.deepEqual(await reviews.read.productRating([PRODUCT]), [1n, 5n]);

    const second = await purchase(PRODUCT, buyer2);
    await mined(core, reviews.write.review([second, PRODUCT, 2, contentHash("b")], { account: buyer2.account }));
    assert.deepEqual(await reviews.read.productRating([PRODUCT]), [2n, 7n]);

    const receipt = await fiatReceipt(PRODUCT, buyer2);
    await mined(
      core,
      reviews.write.reviewWithReceipt(
        [receipt, receiptSigner.account.address, await signReceipt(receipt), 4, contentHash("c")],
        { account: buyer2.account },
      ),
    );
    assert.deepEqual(await reviews.read.productRating([PRODUCT]), [3n, 11n]);
    assert.equal(await reviews.read.averageRating([PRODUCT]), 366n); // 11 / 3 = 3.66 stars
    assert.deepEqual(await reviews.read.productRating([productIdOf("untouched")]), [0n, 0n]);
  });

  it("R3: the ABI has no way to edit or delete a review (only the two review paths and admin functions write)", async () => {
    const artifact = await hre.artifacts.readArtifact("Reviews");
    const abi: readonly { type: string; name?: string; stateMutability?: string }[] = artifact.abi;
    const writers = abi
      .filter((item) => item.type === "function" && item.stateMutability !== "view" && item.stateMutability !== "pure")
      .map((item) => item.name)
      .sort();
    assert.deepEqual(writers, [
      "acceptDefaultAdminTransfer",
      "beginDefaultAdminTransfer",
      "cancelDefaultAdminTransfer",
      "changeDefaultAdminDelay",
      "grantRole",
      "renounceRole",
      "review",
      "reviewWithReceipt",
      "revokeRole",
      "rollbackDefaultAdminDelay",
    ]);
  });

  it("gas: a review of an already-reviewed product stays within 60,000 receipt gas", async () => {
    const { buyer, buyer2 } = core.accounts;
    const warmUp = await purchase(PRODUCT, buyer2);
    const firstReceipt = await mined(
      core,
      reviews.write.review([warmUp, PRODUCT, 4, contentHash("first review of the product")], {
        account: buyer2.account,
      }),
    );

    const orderId = await purchase(PRODUCT, buyer);
    const measured = await mined(
      core,
      reviews.write.review([orderId, PRODUCT, 5, contentHash("second review of the product")], {
        account: buyer.account,
      }),
    );

    const receipt = await fiatReceipt(PRODUCT, buyer);
    const viaReceipt = await mined(
      core,
      reviews.write.reviewWithReceipt(
        [receipt, receiptSigner.account.address, await signReceipt(receipt), 3, contentHash("fiat review")],
        { account: buyer.account },
      ),
    );

    console.log(
      `    gas: review (product already reviewed) ${measured.gasUsed}; first review of a product ${firstReceipt.gasUsed}; reviewWithReceipt (product already reviewed) ${viaReceipt.gasUsed}${underCoverage ? " (coverage-instrumented: budget not checked)" : ""}`,
    );
    // Coverage instrumentation adds gas to every statement: the budget holds for the real bytecode only.
    if (!underCoverage) {
      assert.ok(
        measured.gasUsed <= REVIEW_GAS_BUDGET,
        `review used ${measured.gasUsed} gas, over the ${REVIEW_GAS_BUDGET} budget`,
      );
    }
  });
});
