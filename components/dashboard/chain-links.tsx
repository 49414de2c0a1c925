// Transaction hashes and addresses, linked to the block explorer when one is configured (the local
// chain has none, so there they are shown in full for copying).
export function explorerBase(url: string | undefined): string | undefined {
  return url?.replace(/\/$/, "");
}

const short = (hex: string) => (hex.length > 20 ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : hex);

export function TxLink(props: { hash: string; explorerUrl?: string }) {
  const base = explorerBase(props.explorerUrl);
  if (!base) {
    return (
      <span className="mono" title={props.hash} data-testid="tx-hash">
        {short(props.hash)}
      </span>
    );
  }
  return (
    <a className="mono" href={`${base}/tx/${props.hash}`} rel="noreferrer" target="_blank" data-testid="tx-hash">
      {short(props.hash)}
    </a>
  );
}

export function AddressLink(props: { address: string; explorerUrl?: string; suffix?: string; full?: boolean }) {
  const base = explorerBase(props.explorerUrl);
  const text = props.full ? props.address : short(props.address);
  if (!base) {
    return (
      <span className="mono" title={props.address}>
        {text}
      </span>
    );
  }
  return (
    <a
      className="mono"
      href={`${base}/address/${props.address}${props.suffix ?? ""}`}
      rel="noreferrer"
      target="_blank"
      title={props.address}
    >
      {text}
    </a>
  );
}
