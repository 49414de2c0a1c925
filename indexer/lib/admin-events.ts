// Administrative events every NeoCart contract shares (AccessControlDefaultAdminRules, Pausable,
// EIP-712 domain). Each is logged in admin_event; role changes, pauses and pending admin transfers
// also update role_member and contract_setting.
import { type Context, type Event, ponder } from "ponder:registry";
import { adminEvent, contractSetting, roleMember } from "ponder:schema";
import { replaceBigInts } from "ponder";

type AnyEvent = Event & { args?: Record<string, unknown> };

/** Upserts the contract's settings row and applies `patch`. */
export async function updateSetting(
  context: Context,
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
export async function logAdminEvent(context: Context, contract: string, name: string, event: AnyEvent) {
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

type Handler = (contract: string, event: AnyEvent, context: Context) => Promise<void>;

const noop: Handler = async () => {};

const handlers: Record<string, Handler> = {
  RoleGranted: async (contract, event, context) => {
    const args = event.args as { role: `0x${string}`; account: `0x${string}`; sender: `0x${string}` };
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
    const args = event.args as { role: `0x${string}`; account: `0x${string}`; sender: `0x${string}` };
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
    const args = event.args as { newAdmin: `0x${string}`; acceptSchedule: number | bigint };
    return updateSetting(context, contract, event.block.number, {
      pendingAdmin: args.newAdmin,
      pendingAdminAcceptAt: BigInt(args.acceptSchedule),
    });
  },
  DefaultAdminTransferCanceled: (contract, event, context) =>
    updateSetting(context, contract, event.block.number, { pendingAdmin: null, pendingAdminAcceptAt: null }),
  DefaultAdminDelayChangeScheduled: (contract, event, context) => {
    const args = event.args as { newDelay: number | bigint; effectSchedule: number | bigint };
    return updateSetting(context, contract, event.block.number, {
      pendingAdminDelay: BigInt(args.newDelay),
      pendingAdminDelayAt: BigInt(args.effectSchedule),
    });
  },
  DefaultAdminDelayChangeCanceled: (contract, event, context) =>
    updateSetting(context, contract, event.block.number, { pendingAdminDelay: null, pendingAdminDelayAt: null }),
  EIP712DomainChanged: noop,
};

/** The administrative events this module handles (the handler-coverage test reads it). */
export const ADMIN_EVENT_NAMES = Object.keys(handlers);

/**
 * Registers a handler for each named administrative event of `contract`: logged in admin_event,
 * plus its effect on role_member / contract_setting.
 */
export function registerAdminEvents(contract: string, names: readonly string[]) {
  for (const name of names) {
    const handler = handlers[name];
    if (!handler)
      throw new Error(`No administrative handler for ${contract}:${name}; add one in indexer/lib/admin-events.ts.`);
    // biome-ignore lint/suspicious/noExplicitAny: the event name is built at run time; the handler narrows args itself.
    ponder.on(`${contract}:${name}` as any, async ({ event, context }: { event: AnyEvent; context: Context }) => {
      await logAdminEvent(context, contract, name, event);
      await handler(contract, event, context);
    });
  }
}
