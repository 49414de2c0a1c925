// The auditor's page, public: every contract's address (with its verified source on the block
// explorer, when the chain has one), who holds which role on chain, and every event of an order or
// a product with block numbers and transaction hashes.
import type { Metadata } from "next";
import { AddressLink, explorerBase, TxLink } from "../../components/dashboard/chain-links.tsx";
import { contractAddresses } from "../../lib/dashboards/contract-addresses.ts";
import { listChainRoles, lookupChainEvents, lookupSchema } from "../../lib/dashboards/explorer-lookup.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { webSettings } from "../_server/settings.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Explorer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ExplorerPage(props: Props) {
  const { locale, t } = await preferences();
  const settings = webSettings();
  const explorerUrl = explorerBase(settings.NEOCART_EXPLORER_URL);
  const addresses = contractAddresses(settings.NEOCART_CHAIN_ID);
  const db = database();
  const views = settings.NEOCART_VIEWS_SCHEMA;
  const raw = (await props.searchParams).q;
  const query = typeof raw === "string" ? raw.trim() : "";
  const parsedQuery = query ? lookupSchema.safeParse(query) : undefined;
  const [roles, result] = await Promise.all([
    listChainRoles(db, views),
    parsedQuery?.success ? lookupChainEvents(db, views, parsedQuery.data) : Promise.resolve(undefined),
  ]);

  return (
    <div className="stack">
      <h1>{t("auditor.title")}</h1>
      <p className="muted">{t("auditor.intro", { chainId: addresses.chainId })}</p>

      <section className="card stack" aria-labelledby="explorer-lookup">
        <h2 id="explorer-lookup">{t("auditor.lookup")}</h2>
        <search>
          <form method="get" action="/explorer" className="row">
            <label htmlFor="explorer-q">{t("auditor.lookupLabel")}</label>
            <input
              id="explorer-q"
              name="q"
              defaultValue={query}
              maxLength={160}
              className="mono"
              style={{ flex: "1 1 20rem" }}
              aria-describedby="explorer-q-hint"
              data-testid="explorer-query"
            />
            <button type="submit" data-testid="explorer-submit">
              {t("auditor.lookupSubmit")}
            </button>
          </form>
        </search>
        <p id="explorer-q-hint" className="muted">
          {t("auditor.lookupHint")}
        </p>
        {parsedQuery && !parsedQuery.success && (
          <p className="error" role="alert">
            {t("auditor.badQuery")}
          </p>
        )}
        {result?.kind === "none" && (
          <p role="status" data-testid="explorer-none">
            {t("auditor.nothing", { q: query })}
          </p>
        )}
        {result && result.kind !== "none" && (
          <div className="stack" role="status">
            <p>
              {result.kind === "order"
                ? t("auditor.orderEvents", { id: result.orderId, count: result.events.length })
                : t("auditor.productEvents", {
                    product: result.title ?? result.productId,
                    id: result.productId,
                    count: result.events.length,
                  })}
            </p>
            <div className="table-scroll">
              <table data-testid="explorer-events">
                <thead>
                  <tr>
                    <th scope="col">{t("auditor.block")}</th>
                    <th scope="col">{t("auditor.time")}</th>
                    <th scope="col">{t("auditor.contract")}</th>
                    <th scope="col">{t("auditor.event")}</th>
                    <th scope="col">{t("auditor.details")}</th>
                    <th scope="col">{t("auditor.tx")}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.events.map((e) => (
                    <tr
                      key={`${e.txHash}-${e.contract}-${e.kind}-${e.orderId}-${e.detail}`}
                      data-testid="explorer-event"
                      data-kind={e.kind}
                    >
                      <td>{e.blockNumber.toString()}</td>
                      <td>{formatDate(new Date(e.timestamp * 1000), locale)}</td>
                      <td>{e.contract}</td>
                      <td>
                        <strong>{e.kind}</strong>
                        {e.orderId && result.kind === "product" && (
                          <div>
                            <a className="mono" href={`/explorer?q=${e.orderId}`}>
                              {e.orderId.slice(0, 12)}…
                            </a>
                          </div>
                        )}
                      </td>
                      <td className="mono" style={{ wordBreak: "break-all", fontSize: "0.8rem" }}>
                        {e.actor && (
                          <div>
                            {t("auditor.actor")} <AddressLink address={e.actor} explorerUrl={explorerUrl} />
                          </div>
                        )}
                        {e.detail}
                      </td>
                      <td>
                        <TxLink hash={e.txHash} explorerUrl={explorerUrl} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </section>

      <section className="card stack" aria-labelledby="explorer-contracts">
        <h2 id="explorer-contracts">{t("auditor.contracts")}</h2>
        {!explorerUrl && <p className="notice">{t("auditor.noExplorer")}</p>}
        <div className="table-scroll">
          <table data-testid="contract-addresses">
            <thead>
              <tr>
                <th scope="col">{t("auditor.contract")}</th>
                <th scope="col">{t("auditor.address")}</th>
                <th scope="col">{t("auditor.startBlock")}</th>
                <th scope="col">{t("auditor.source")}</th>
              </tr>
            </thead>
            <tbody>
              {addresses.all.map((c) => (
                <tr key={c.name} data-testid="contract-row">
                  <th scope="row">{c.name}</th>
                  <td>
                    <span className="mono" style={{ wordBreak: "break-all" }}>
                      {c.address}
                    </span>
                  </td>
                  <td>{c.startBlock}</td>
                  <td>
                    {explorerUrl ? (
                      <AddressLink address={c.address} explorerUrl={explorerUrl} suffix="#code" />
                    ) : (
                      <span className="muted">{t("auditor.noSource")}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card stack" aria-labelledby="explorer-roles">
        <h2 id="explorer-roles">{t("auditor.roles")}</h2>
        {roles === undefined ? (
          <p className="notice">{t("dash.noIndexer")}</p>
        ) : (
          <div className="table-scroll">
            <table data-testid="chain-roles">
              <thead>
                <tr>
                  <th scope="col">{t("auditor.contract")}</th>
                  <th scope="col">{t("auditor.role")}</th>
                  <th scope="col">{t("auditor.account")}</th>
                  <th scope="col">{t("auditor.since")}</th>
                </tr>
              </thead>
              <tbody>
                {roles.map((r) => (
                  <tr key={`${r.contract}-${r.role}-${r.account}`} data-testid="chain-role">
                    <td>{r.contract}</td>
                    <td className="mono">{r.role}</td>
                    <td>
                      <AddressLink address={r.account} explorerUrl={explorerUrl} full />
                    </td>
                    <td>
                      {t("orders.block", { block: r.updatedBlock.toString() })} ·{" "}
                      <TxLink hash={r.updatedTx} explorerUrl={explorerUrl} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
