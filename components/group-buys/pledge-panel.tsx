"use client";
// Pledging from the connected wallet: pledge N units (ETH pools send units × unitPrice with the
// call; token pools approve that much first), withdraw units while the pool is Open, and take the
// whole pledge back once the pool Failed. The pledge and the state are read from the chain, so the
// buttons match what the contract will accept even before the indexer catches up.
import { useState } from "react";
import { type Address, erc20Abi, zeroAddress } from "viem";
import { useAccount, usePublicClient, useReadContract, useSwitchChain, useWriteContract } from "wagmi";
import { groupBuyAbi } from "../../lib/contracts/abis.ts";
import { formatTokenAmount } from "../dashboard/token-amount.ts";
import { TxStatus, type TxStrings } from "../dashboard/tx-status.tsx";
import { useChainTx } from "../dashboard/use-chain-tx.ts";
import styles from "./group-buys.module.css";

export type PledgeStrings = {
  connectFirst: string;
  wrongChain: string;
  switchChain: string;
  sellerCannotPledge: string;
  yourPledge: string;
  noPledge: string;
  unitsToPledge: string;
  pledge: string;
  pledgeTotal: string;
  unitsToWithdraw: string;
  unpledge: string;
  refund: string;
  unitsInvalid: string;
  tx: TxStrings;
};

/** IGroupBuy.PoolState */
const OPEN = 1;
const SUCCEEDED = 2;
const FAILED = 3;
const READ_EVERY_MS = 2000;

export function PledgePanel(props: {
  chainId: number;
  groupBuy: Address;
  poolId: string;
  seller: string;
  token: Address;
  unitPrice: string;
  maxUnits: number;
  pledgedUnits: number;
  stablecoin?: string;
  strings: PledgeStrings;
}) {
  const s = props.strings;
  const poolId = BigInt(props.poolId);
  const unitPrice = BigInt(props.unitPrice);
  const { address, chainId, isConnected } = useAccount();
  const { switchChain, isPending: switching } = useSwitchChain();
  const publicClient = usePublicClient({ chainId: props.chainId });
  const { writeContractAsync } = useWriteContract();
  const [units, setUnits] = useState("1");
  const [withdrawUnits, setWithdrawUnits] = useState("1");
  const [invalid, setInvalid] = useState<string | null>(null);

  const mine = useReadContract({
    address: props.groupBuy,
    abi: groupBuyAbi,
    functionName: "pledgeOf",
    args: [poolId, address ?? zeroAddress],
    chainId: props.chainId,
    query: { enabled: Boolean(address), refetchInterval: READ_EVERY_MS },
  });
  const state = useReadContract({
    address: props.groupBuy,
    abi: groupBuyAbi,
    functionName: "poolState",
    args: [poolId],
    chainId: props.chainId,
    query: { refetchInterval: READ_EVERY_MS },
  });
  const myUnits = mine.data ? Number(mine.data[0]) : 0;
  const settled = mine.data ? mine.data[2] : false;
  const poolState = state.data === undefined ? undefined : Number(state.data);
  const tx = useChainTx(`${myUnits}:${poolState ?? ""}`);

  if (!isConnected || !address) return <p className="muted">{s.connectFirst}</p>;
  if (chainId !== props.chainId) {
    return (
      <p className="notice" role="status">
        {s.wrongChain}{" "}
        <button type="button" disabled={switching} onClick={() => switchChain({ chainId: props.chainId })}>
          {s.switchChain}
        </button>
      </p>
    );
  }
  if (address.toLowerCase() === props.seller.toLowerCase()) {
    return <p className="notice">{s.sellerCannotPledge}</p>;
  }

  function readUnits(text: string, max: number): number | null {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      setInvalid(s.unitsInvalid.replace("{max}", String(max)));
      return null;
    }
    setInvalid(null);
    return n;
  }

  const available = Math.max(0, props.maxUnits - props.pledgedUnits);
  const canPledge = (poolState === OPEN || poolState === SUCCEEDED) && !settled && available > 0;
  const pledgeCount = Number(units);
  const total = Number.isInteger(pledgeCount) && pledgeCount > 0 ? unitPrice * BigInt(pledgeCount) : null;

  function pledge() {
    const n = readUnits(units, available);
    if (n === null) return;
    const value = unitPrice * BigInt(n);
    void tx.run(async () => {
      if (props.token !== zeroAddress) {
        // Token pools pull the payment with transferFrom: approve exactly this pledge first.
        const approval = await writeContractAsync({
          address: props.token,
          abi: erc20Abi,
          functionName: "approve",
          args: [props.groupBuy, value],
          chainId: props.chainId,
        });
        await publicClient?.waitForTransactionReceipt({ hash: approval });
        return writeContractAsync({
          address: props.groupBuy,
          abi: groupBuyAbi,
          functionName: "pledge",
          args: [poolId, n],
          chainId: props.chainId,
        });
      }
      return writeContractAsync({
        address: props.groupBuy,
        abi: groupBuyAbi,
        functionName: "pledge",
        args: [poolId, n],
        value,
        chainId: props.chainId,
      });
    });
  }

  function unpledge() {
    const n = readUnits(withdrawUnits, myUnits);
    if (n === null) return;
    void tx.run(() =>
      writeContractAsync({
        address: props.groupBuy,
        abi: groupBuyAbi,
        functionName: "unpledge",
        args: [poolId, n],
        chainId: props.chainId,
      }),
    );
  }

  function refund() {
    void tx.run(() =>
      writeContractAsync({
        address: props.groupBuy,
        abi: groupBuyAbi,
        functionName: "refund",
        args: [poolId],
        chainId: props.chainId,
      }),
    );
  }

  return (
    <div className="stack" data-testid="pledge-panel">
      <p data-testid="my-pledge" data-units={myUnits}>
        {myUnits > 0 ? s.yourPledge.replace("{units}", String(myUnits)) : s.noPledge}
      </p>
      {canPledge && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            pledge();
          }}
        >
          <label htmlFor="pledge-units">{s.unitsToPledge}</label>
          <input
            id="pledge-units"
            className={styles.units}
            type="number"
            inputMode="numeric"
            min={1}
            max={available}
            step={1}
            value={units}
            onChange={(e) => setUnits(e.target.value)}
            data-testid="pledge-units"
          />
          <button type="submit" disabled={tx.busy} data-testid="pledge-button">
            {s.pledge}
          </button>
          {total !== null && (
            <span className="muted">
              {s.pledgeTotal.replace("{amount}", formatTokenAmount(total, props.token, props.stablecoin))}
            </span>
          )}
        </form>
      )}
      {poolState === OPEN && myUnits > 0 && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            unpledge();
          }}
        >
          <label htmlFor="unpledge-units">{s.unitsToWithdraw}</label>
          <input
            id="unpledge-units"
            className={styles.units}
            type="number"
            inputMode="numeric"
            min={1}
            max={myUnits}
            step={1}
            value={withdrawUnits}
            onChange={(e) => setWithdrawUnits(e.target.value)}
            data-testid="unpledge-units"
          />
          <button type="submit" className="button-secondary" disabled={tx.busy} data-testid="unpledge-button">
            {s.unpledge}
          </button>
        </form>
      )}
      {poolState === FAILED && myUnits > 0 && !settled && (
        <button type="button" disabled={tx.busy} onClick={refund} data-testid="refund-button">
          {s.refund}
        </button>
      )}
      {invalid && (
        <p className="error" role="alert" data-testid="pledge-invalid">
          {invalid}
        </p>
      )}
      <TxStatus phase={tx.phase} error={tx.error} hash={tx.hash} strings={s.tx} />
    </div>
  );
}
