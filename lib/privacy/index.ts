// Privacy rights: a person can get a copy of their data and have their account erased.
export { type AccountDeletionSummary, deleteAccount } from "./delete-account.ts";
export { PrivacyError } from "./errors.ts";
export { exportUserData, type UserDataExport } from "./export-user-data.ts";
export { type OnChainStatement, onChainStatement } from "./on-chain-statement.ts";
