// Administrative events every NeoCart contract shares (AccessControlDefaultAdminRules, Pausable,
// EIP-712 domain). Each is logged in admin_event; role changes, pauses and pending admin transfers
// also update role_member and contract_setting.
import { type Context, type Event, type EventNames, ponder } from "ponder:registry";
import { acceptedToken, adminEvent, contractSetting, roleMember } from "ponder:schema";
import { replaceBigInts } from "ponder";
import type { IndexedContract } from "./settings.ts";

/** The administrative events this module handles (one handler each, below). */
type AdminEventName =
  | "RoleGranted"
  | "RoleRevoked"
  | "RoleAdminChanged"
  | "Paused"
  | "Unpaused"
  | "DefaultAdminTransferScheduled"
  | "DefaultAdminTransferCanceled"
  | "DefaultAdminDelayChangeScheduled"
  | "DefaultAdminDelayChangeCanceled"
  | "EIP712DomainChanged";

/** Ponder's event names ("Contract:Event") of administrative event `N` across the indexed contracts. */
type AdminEventKey<N extends AdminEventName> = Extract<EventNames, `${IndexedContract}:${N}`>;

/** The event Ponder delivers for `N` (its args are the same on every contract that emits it). */
type AdminEvent<N extends AdminEventName> = Event<AdminEventKey<N>>;

/** The administrative events contract `C` emits, according to its ABI. */
type AdminEventOf<C extends IndexedContract> = {
  [N in AdminEventName]: `${C}:${N}` extends EventNames ? N : never;
}[AdminEventName];

/**
 * The part of an indexing function's context these helpers use. (The full Context of a generic
 * event name has a `chain` TypeScript cannot resolve; every contract shares the one database.)
 */
type DbContext = Pick<Context, "db">;

/** What logAdminEvent reads of an event (events without inputs have `readonly []` as args). */
type LoggedEvent = {
  id: string;
  args?: Record<string, unknown> | readonly [];
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
};

/** Upserts the contract's settings row and applies `patch`. */
export async function updateSetting(
  context: DbContext,
  contract: string,
  blockNumber: bigint,
  patch: Partial<typeof contractSetting.$inferInsert>,
) {
  await context.db
    .insert(contractSetting)
    .values({ id: contract, paused: false, updatedBlock: blockNumber, ...patch })
    .onConflictDoUpdate({ ...patch, updatedBlock: blockNumber });
}

/** Appends the event to admin_event. */
export async function logAdminEvent(context: DbContext, contract: string, name: string, event: LoggedEvent) {
  await context.db.insert(adminEvent).values({
    id: event.id,
    contract,
    name,
    args: replaceBigInts(event.args ?? {}, (v) => v.toString()),
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
  });
}

type Handler<N extends AdminEventName> = (contract: string, event: AdminEvent<N>, context: DbContext) => Promise<void>;

const noop = async () => {};

const handlers: { [N in AdminEventName]: Handler<N> } = {
  RoleGranted: async (contract, event, context) => {
    const args = event.args;
    const row = {
      active: true,
      changedBy: args.sender,
      updatedBlock: event.block.number,
      updatedTx: event.transaction.hash,
    };
    await context.db
      .insert(roleMember)
      .values({ contract, role: args.role, account: args.account, ...row })
      .onConflictDoUpdate(row);
  },
  RoleRevoked: async (contract, event, context) => {
    const args = event.args;
    const row = {
      active: false,
      changedBy: args.sender,
      updatedBlock: event.block.number,
      updatedTx: event.transaction.hash,
    };
    await context.db
      .insert(roleMember)
      .values({ contract, role: args.role, account: args.account, ...row })
      .onConflictDoUpdate(row);
  },
  RoleAdminChanged: noop,
  Paused: (contract, event, context) => updateSetting(context, contract, event.block.number, { paused: true }),
  Unpaused: (contract, event, context) => updateSetting(context, contract, event.block.number, { paused: false }),
  DefaultAdminTransferScheduled: (contract, event, context) => {
    const args = event.args;
    return updateSetting(context, contract, event.block.number, {
      pendingAdmin: args.newAdmin,
      pendingAdminAcceptAt: BigInt(args.acceptSchedule),
    });
  },
  DefaultAdminTransferCanceled: (contract, event, context) =>
    updateSetting(context, contract, event.block.number, { pendingAdmin: null, pendingAdminAcceptAt: null }),
  DefaultAdminDelayChangeScheduled: (contract, event, context) => {
    const args = event.args;
    return updateSetting(context, contract, event.block.number, {
      pendingAdminDelay: BigInt(args.newDelay),
      pendingAdminDelayAt: BigInt(args.effectSchedule),
    });
  },
  DefaultAdminDelayChangeCanceled: (contract, event, context) =>
    updateSetting(context, contract, event.block.number, { pendingAdminDelay: null, pendingAdminDelayAt: null }),
  EIP712DomainChanged: noop,
};

/** AccessControlDefaultAdminRules' events: every NeoCart contract emits them. */
export const ADMIN_RULES_EVENTS = [
  "RoleGranted",
  "RoleRevoked",
  "RoleAdminChanged",
  "DefaultAdminTransferScheduled",
  "DefaultAdminTransferCanceled",
  "DefaultAdminDelayChangeScheduled",
  "DefaultAdminDelayChangeCanceled",
] as const satisfies readonly AdminEventName[];

/** The administrative events this module handles (the handler-coverage test reads it). */
export const ADMIN_EVENT_NAMES = Object.keys(handlers);

/** Registers administrative event `name` of `contract`: logged in admin_event, plus its handler's effect. */
function register<N extends AdminEventName>(contract: IndexedContract, name: N) {
  const handler: Handler<N> | undefined = handlers[name];
  if (!handler)
    throw new Error(`No administrative handler for ${contract}:${name}; add one in indexer/lib/admin-events.ts.`);
  // The name is built at run time, so TypeScript cannot see that it is one of Ponder's event names;
  // registerAdminEvents only accepts events the contract's ABI has (AdminEventOf), which makes it one.
  const key = `${contract}:${name}` as AdminEventKey<N>;
  ponder.on(key, async ({ event, context }) => {
    // Widening AdminEvent<N> to the union over all names is always sound, but TypeScript evaluates
    // Ponder's Event type for a generic name against every kind of event (blocks included).
    await logAdminEvent(context, contract, name, event as AdminEvent<AdminEventName>);
    await handler(contract, event, context);
  });
}

/**
 * Registers a handler for each named administrative event of `contract`: logged in admin_event,
 * plus its effect on role_member / contract_setting.
 */
export function registerAdminEvents<C extends IndexedContract>(contract: C, names: readonly AdminEventOf<C>[]) {
  for (const name of names) register(contract, name);
}

/** A TokenAcceptanceSet (Escrow and GroupBuy): logged, and the token's row in accepted_token updated. */
export async function recordTokenAcceptance(
  context: DbContext,
  contract: "Escrow" | "GroupBuy",
  event: LoggedEvent & { args: { token: `0x${string}`; accepted: boolean } },
) {
  await logAdminEvent(context, contract, "TokenAcceptanceSet", event);
  const row = { accepted: event.args.accepted, updatedBlock: event.block.number };
  await context.db
    .insert(acceptedToken)
    .values({ contract, token: event.args.token, ...row })
    .onConflictDoUpdate(row);
}
