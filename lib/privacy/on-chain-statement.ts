// What we cannot erase, said plainly: public blockchains are append-only and not ours to edit.

export type OnChainStatement = { summary: string; records: { what: string; details: string }[] };

export function onChainStatement(walletAddresses: string[]): OnChainStatement {
  const wallets = walletAddresses.length > 0 ? walletAddresses.join(", ") : "your wallets";
  return {
    summary:
      `Some records are on a public blockchain, tied to ${wallets}. Nobody, including NeoCart, can change or ` +
      "erase them. Deleting your account removes the link between those addresses and your NeoCart profile " +
      "in our database, but anyone can still read the records on a block explorer.",
    records: [
      {
        what: "Escrow orders",
        details:
          "Each wallet checkout is an escrow contract record: order id, buyer and seller addresses, token, amount, fees and every state change (paid, shipped, completed, disputed, refunded).",
      },
      {
        what: "Review hashes",
        details:
          "Each review stores the order id, product id, rating and a hash of the text on chain. The text itself is in our database; after deletion it is no longer linked to your account.",
      },
      {
        what: "Loyalty points",
        details: "Points are ERC-20 token balances and transfers of your address (minted, redeemed, transferred).",
      },
      {
        what: "Badges",
        details:
          "Badges are soulbound ERC-1155 tokens held by your address; they cannot be transferred or burned by us.",
      },
      {
        what: "Group-buy pledges",
        details: "Pledges, withdrawals and refunds in group-buy pools are contract records of your address.",
      },
    ],
  };
}
