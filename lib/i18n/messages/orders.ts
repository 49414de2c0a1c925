// Strings of the orders pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const ordersMessages = defineMessages({}, {});
