// NeoCart chain tables. Ponder creates them in the indexer's schema (--schema / DATABASE_SCHEMA)
// and publishes them as views in the views schema (--views-schema), which the app reads.
// Every row carries the block, timestamp and transaction it came from, so an auditor can check it
// on a block explorer. Amounts are raw token units (wei / 6-decimal stablecoin units). Unit counts
// and the escrow's delivery window are uint32 on chain, past PostgreSQL's integer, so bigint: a
// value a seller may legally choose must never stop the indexer.
import { index, onchainTable, type PgColumnsBuilders, primaryKey } from "ponder";

// ------------------------------------------------------------------------------------------------
// Escrow

/** One row per escrow order: its terms (from OrderPaid) and where it stands now. */
export const escrowOrder = onchainTable(
  "escrow_order",
  (t) => ({
    id: t.hex().primaryKey(), // orderId
    buyer: t.hex().notNull(),
    seller: t.hex().notNull(),
    token: t.hex().notNull(), // 0x0 = ETH
    amount: t.bigint().notNull(),
    fee: t.bigint().notNull(),
    affiliate: t.hex().notNull(),
    affiliateBps: t.integer().notNull(),
    cashback: t.bigint().notNull(),
    productId: t.hex().notNull(),
    deliveryWindow: t.bigint().notNull(),
    pointsRedeemed: t.bigint().notNull(),
    /** Group-buy pool the order settles a pledge of, if any. */
    poolId: t.bigint(),
    /** paid | shipped | completed | disputed | resolved | refunded */
    state: t.text().notNull(),
    /** End of the current window (ship-by, release-at or arbitrate-by); null once closed. */
    deadline: t.bigint(),
    shipBy: t.bigint().notNull(),
    releaseAt: t.bigint(),
    arbitrateBy: t.bigint(),
    // Outcome (credits made by the escrow when the order closed).
    sellerProceeds: t.bigint(),
    feeCharged: t.bigint(),
    affiliateShare: t.bigint(),
    cashbackMinted: t.bigint(),
    refundedToBuyer: t.bigint(),
    buyerBps: t.integer(),
    confirmedByBuyer: t.boolean(),
    resolvedByArbiter: t.boolean(),
    createdBlock: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
    createdTx: t.hex().notNull(),
    updatedBlock: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
    updatedTx: t.hex().notNull(),
  }),
  (table) => ({
    buyerIdx: index().on(table.buyer, table.createdAt),
    sellerIdx: index().on(table.seller, table.state),
    productIdx: index().on(table.productId),
    stateIdx: index().on(table.state, table.deadline),
  }),
);

/** Every state change of every order, in chain order (id = Ponder's event id, sortable). */
export const escrowOrderEvent = onchainTable(
  "escrow_order_event",
  (t) => ({
    id: t.text().primaryKey(),
    orderId: t.hex().notNull(),
    /** paid | shipped | completed | disputed | resolved | refunded */
    kind: t.text().notNull(),
    /** The account that sent the transaction. */
    actor: t.hex().notNull(),
    amount: t.bigint(),
    fee: t.bigint(),
    affiliate: t.hex(),
    affiliateShare: t.bigint(),
    toBuyer: t.bigint(),
    toSeller: t.bigint(),
    cashback: t.bigint(),
    buyerBps: t.integer(),
    deadline: t.bigint(),
    confirmedByBuyer: t.boolean(),
    byArbiter: t.boolean(),
    blockNumber: t.bigint().notNull(),
    blockHash: t.hex().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    orderIdx: index().on(table.orderId, table.id),
    txIdx: index().on(table.txHash),
  }),
);

/** What each account can withdraw from the escrow, per token (seller proceeds, refunds, affiliate shares). */
export const escrowCredit = onchainTable(
  "escrow_credit",
  (t) => ({
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    credited: t.bigint().notNull(),
    withdrawn: t.bigint().notNull(),
    withdrawable: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.token, table.account] }),
    accountIdx: index().on(table.account),
  }),
);

/** Platform fees per token; the treasury of the day withdraws them together with its own credit. */
export const escrowFee = onchainTable("escrow_fee", (t) => ({
  token: t.hex().primaryKey(),
  accrued: t.bigint().notNull(),
  withdrawn: t.bigint().notNull(),
  pending: t.bigint().notNull(),
}));

/** Withdrawn events (pull payments leaving the escrow). */
export const escrowWithdrawal = onchainTable(
  "escrow_withdrawal",
  (t) => ({
    id: t.text().primaryKey(),
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** Part of the amount that was platform fees (treasury withdrawals only). */
    feePart: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ accountIdx: index().on(table.account) }),
);

// ------------------------------------------------------------------------------------------------
// Reviews

/** One review per purchase (append-only on chain); the text lives in the app keyed by contentHash. */
export const review = onchainTable(
  "review",
  (t) => ({
    id: t.hex().primaryKey(), // orderId
    productId: t.hex().notNull(),
    author: t.hex().notNull(),
    rating: t.integer().notNull(),
    contentHash: t.hex().notNull(),
    viaReceipt: t.boolean().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    productIdx: index().on(table.productId, table.timestamp),
    authorIdx: index().on(table.author),
    contentIdx: index().on(table.contentHash),
  }),
);

/** Per-product rating aggregate (mirrors Reviews.productRating; average in hundredths of a star). */
export const productRating = onchainTable("product_rating", (t) => ({
  id: t.hex().primaryKey(), // productId
  reviewCount: t.integer().notNull(),
  ratingSum: t.integer().notNull(),
  averageCentiStars: t.integer().notNull(),
  stars1: t.integer().notNull(),
  stars2: t.integer().notNull(),
  stars3: t.integer().notNull(),
  stars4: t.integer().notNull(),
  stars5: t.integer().notNull(),
  updatedAt: t.bigint().notNull(),
}));

// ------------------------------------------------------------------------------------------------
// ERC-20s: loyalty points and (local chains) the test stablecoin. Same shapes, separate tables.

const balanceColumns = (t: PgColumnsBuilders) => ({
  id: t.hex().primaryKey(), // account
  balance: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
});
const transferColumns = (t: PgColumnsBuilders) => ({
  id: t.text().primaryKey(),
  from: t.hex().notNull(),
  to: t.hex().notNull(),
  value: t.bigint().notNull(),
  /** mint | burn | transfer */
  kind: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
});
const allowanceColumns = (t: PgColumnsBuilders) => ({
  owner: t.hex().notNull(),
  spender: t.hex().notNull(),
  value: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
});

export const pointsBalance = onchainTable("points_balance", balanceColumns, (table) => ({
  balanceIdx: index().on(table.balance),
}));
export const pointsTransfer = onchainTable("points_transfer", transferColumns, (table) => ({
  fromIdx: index().on(table.from),
  toIdx: index().on(table.to),
}));
export const pointsAllowance = onchainTable("points_allowance", allowanceColumns, (table) => ({
  pk: primaryKey({ columns: [table.owner, table.spender] }),
}));
/** Single row (id "supply"): total points minted, burned, outstanding. */
export const pointsSupply = onchainTable("points_supply", (t) => ({
  id: t.text().primaryKey(),
  minted: t.bigint().notNull(),
  burned: t.bigint().notNull(),
  totalSupply: t.bigint().notNull(),
}));

export const stablecoinBalance = onchainTable("stablecoin_balance", balanceColumns);
export const stablecoinTransfer = onchainTable("stablecoin_transfer", transferColumns, (table) => ({
  fromIdx: index().on(table.from),
  toIdx: index().on(table.to),
}));
export const stablecoinAllowance = onchainTable("stablecoin_allowance", allowanceColumns, (table) => ({
  pk: primaryKey({ columns: [table.owner, table.spender] }),
}));

// ------------------------------------------------------------------------------------------------
// Badges (soulbound ERC-1155)

export const badge = onchainTable(
  "badge",
  (t) => ({
    holder: t.hex().notNull(),
    badgeId: t.bigint().notNull(),
    balance: t.bigint().notNull(),
    awardedBlock: t.bigint(),
    awardedAt: t.bigint(),
    awardTx: t.hex(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.holder, table.badgeId] }),
    badgeIdx: index().on(table.badgeId),
  }),
);

export const badgeTransfer = onchainTable(
  "badge_transfer",
  (t) => ({
    id: t.text().primaryKey(),
    operator: t.hex().notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    badgeId: t.bigint().notNull(),
    value: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ toIdx: index().on(table.to) }),
);

export const badgeUri = onchainTable("badge_uri", (t) => ({
  id: t.bigint().primaryKey(), // badge id
  uri: t.text().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

export const badgeOperator = onchainTable(
  "badge_operator",
  (t) => ({
    account: t.hex().notNull(),
    operator: t.hex().notNull(),
    approved: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.operator] }) }),
);

// ------------------------------------------------------------------------------------------------
// Group buy

export const pool = onchainTable(
  "pool",
  (t) => ({
    id: t.bigint().primaryKey(), // poolId
    seller: t.hex().notNull(),
    productId: t.hex().notNull(),
    token: t.hex().notNull(),
    unitPrice: t.bigint().notNull(),
    minUnits: t.bigint().notNull(),
    maxUnits: t.bigint().notNull(),
    deadline: t.bigint().notNull(),
    deliveryWindow: t.integer().notNull(),
    feeBps: t.integer().notNull(),
    cashbackBps: t.integer().notNull(),
    pledgedUnits: t.bigint().notNull(),
    /** pledgedUnits reached minUnits (irreversible: unpledging is only allowed while open). */
    filled: t.boolean().notNull(),
    settledCount: t.integer().notNull(),
    settledAmount: t.bigint().notNull(),
    refundedCount: t.integer().notNull(),
    refundedAmount: t.bigint().notNull(),
    openedBlock: t.bigint().notNull(),
    openedAt: t.bigint().notNull(),
    openedTx: t.hex().notNull(),
  }),
  (table) => ({
    sellerIdx: index().on(table.seller),
    productIdx: index().on(table.productId),
    deadlineIdx: index().on(table.deadline),
  }),
);

export const pledge = onchainTable(
  "pledge",
  (t) => ({
    poolId: t.bigint().notNull(),
    pledger: t.hex().notNull(),
    units: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    settled: t.boolean().notNull(),
    orderId: t.hex(),
    refunded: t.boolean().notNull(),
    refundedAmount: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.poolId, table.pledger] }),
    pledgerIdx: index().on(table.pledger),
  }),
);

export const pledgeEvent = onchainTable(
  "pledge_event",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    pledger: t.hex().notNull(),
    /** pledged | unpledged | refunded | settled */
    kind: t.text().notNull(),
    units: t.bigint(),
    amount: t.bigint().notNull(),
    poolUnits: t.bigint(),
    orderId: t.hex(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    poolIdx: index().on(table.poolId, table.id),
    pledgerIdx: index().on(table.pledger),
  }),
);

/** Escrow orders opened by settling a pledge (orderId → pool), filled in before OrderPaid. */
export const poolOrder = onchainTable("pool_order", (t) => ({
  id: t.hex().primaryKey(), // orderId
  poolId: t.bigint().notNull(),
  pledger: t.hex().notNull(),
}));

// ------------------------------------------------------------------------------------------------
// Administration (every contract)

/** Current role holders per contract (AccessControl RoleGranted / RoleRevoked). */
export const roleMember = onchainTable(
  "role_member",
  (t) => ({
    contract: t.text().notNull(),
    role: t.hex().notNull(),
    account: t.hex().notNull(),
    active: t.boolean().notNull(),
    changedBy: t.hex().notNull(),
    updatedBlock: t.bigint().notNull(),
    updatedTx: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.contract, table.role, table.account] }),
    accountIdx: index().on(table.account),
  }),
);

/** Settings per contract: paused, treasury, fees, pending admin transfer. */
export const contractSetting = onchainTable("contract_setting", (t) => ({
  id: t.text().primaryKey(), // contract name
  paused: t.boolean().notNull(),
  treasury: t.hex(),
  platformFeeBps: t.integer(),
  cashbackBps: t.integer(),
  pendingAdmin: t.hex(),
  pendingAdminAcceptAt: t.bigint(),
  pendingAdminDelay: t.bigint(),
  pendingAdminDelayAt: t.bigint(),
  updatedBlock: t.bigint().notNull(),
}));

/** Tokens each contract accepts for new orders / pools. */
export const acceptedToken = onchainTable(
  "accepted_token",
  (t) => ({
    contract: t.text().notNull(),
    token: t.hex().notNull(),
    accepted: t.boolean().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.contract, table.token] }) }),
);

/** Log of every administrative event (roles, pause, admin transfer, domain, fee settings). */
export const adminEvent = onchainTable(
  "admin_event",
  (t) => ({
    id: t.text().primaryKey(),
    contract: t.text().notNull(),
    name: t.text().notNull(),
    args: t.json().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ contractIdx: index().on(table.contract, table.name) }),
);
